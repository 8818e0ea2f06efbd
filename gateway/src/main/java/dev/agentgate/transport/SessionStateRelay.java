package dev.agentgate.transport;

import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.protocol.ServerStatusFlags;
import dev.agentgate.protocol.SessionStateChanges;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Map;

/**
 * The session state changes in the backend's OK packets (the gateway always negotiates CLIENT_SESSION_TRACK when the
 * target offers it): reports every change of tracked system variables to the session, so the next statement is read
 * in the mode the server now reads it, and takes the state information out of the OK packets of a client that did not
 * ask for CLIENT_SESSION_TRACK (it would misread them). An EOF packet cannot carry state: one that announces a change
 * leaves the session untracked. Packets without the SERVER_SESSION_STATE_CHANGED flag cost a status read.
 */
final class SessionStateRelay {

    /** Where the changes go. */
    interface Listener {

        void reported(Map<String, String> systemVariables);

        void untracked(String reason);
    }

    /** An EOF packet is 5 bytes (header, warnings, status); anything longer with header 0xFE is an OK. */
    private static final int EOF_LENGTH = 5;

    private final long backendCapabilities;
    private final boolean clientTracksState;
    private final ByteBufAllocator allocator;
    private final Listener listener;

    /**
     * @param backendCapabilities the flags negotiated with the backend
     * @param clientTracksState   whether the client asked for CLIENT_SESSION_TRACK (and so gets the state information)
     */
    SessionStateRelay(
            long backendCapabilities, boolean clientTracksState, ByteBufAllocator allocator, Listener listener) {
        this.backendCapabilities = backendCapabilities;
        this.clientTracksState = clientTracksState;
        this.allocator = allocator;
        this.listener = listener;
    }

    /** @return the frame to relay in its place: the same one, or (its own released) one without the state information */
    MySQLFrame relay(PacketRole role, MySQLFrame frame) {
        if (!CapabilityFlags.has(backendCapabilities, CapabilityFlags.CLIENT_SESSION_TRACK)
                || (role != PacketRole.OK
                        && role != PacketRole.RESULTSET_END
                        && role != PacketRole.EOF
                        && role != PacketRole.METADATA_EOF)) {
            return frame;
        }
        ByteBuf payload = frame.payload();
        if (payload.readableBytes() <= EOF_LENGTH) {
            if (payload.readableBytes() == EOF_LENGTH
                    && ServerStatusFlags.has(
                            payload.getUnsignedShortLE(payload.readerIndex() + 3),
                            ServerStatusFlags.SERVER_SESSION_STATE_CHANGED)) {
                listener.untracked("the server announced a session state change in a packet that cannot carry it");
            }
            return frame;
        }
        OkPacket ok = OkPacket.read(new MySQLPayload(payload.duplicate()), backendCapabilities);
        if (!ServerStatusFlags.has(ok.statusFlags(), ServerStatusFlags.SERVER_SESSION_STATE_CHANGED)) {
            return frame;
        }
        Map<String, String> variables =
                SessionStateChanges.parse(ok.sessionStateInfo()).systemVariables();
        if (!variables.isEmpty()) {
            listener.reported(variables);
        }
        if (clientTracksState) {
            return frame;
        }
        OkPacket stripped = new OkPacket(
                ok.header(),
                ok.affectedRows(),
                ok.lastInsertId(),
                ok.statusFlags() & ~ServerStatusFlags.SERVER_SESSION_STATE_CHANGED,
                ok.warnings(),
                ok.info(),
                new byte[0]);
        MySQLFrame rewritten = MySQLFrame.fromPacket(stripped, frame.sequenceId(), allocator);
        frame.release();
        return rewritten;
    }
}
