package dev.agentgate.transport;

import dev.agentgate.analysis.SessionTracking;
import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.SessionStateChanges;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.Map;

/**
 * A COM_RESET_CONNECTION of the backend session, and what the gateway must do after it before the session goes on:
 * the reset gives every session variable its global value, the tracking list among them, so the gateway sends the
 * same SET as after login ({@link SessionTracking#ESTABLISH}) and learns the session's sql_mode and character set
 * from its answer. Neither answer reaches the client; the {@link Listener} decides what the client hears. Runs on the
 * session's event loop; one instance per reset.
 */
final class BackendReset {

    interface Listener {
        /**
         * The backend session is reset and tracked again.
         *
         * @param trackedVariables what the server reported, to rebuild the lexing mode from; empty when the backend
         *     does not track session state (the mode is then untracked)
         * @param statusFlags the server status of the last answer, for the OK the client gets
         */
        void reset(Map<String, String> trackedVariables, int statusFlags);

        /** The backend refused the reset (its session is as it was) or answered out of protocol. */
        void failed(ErrPacket error);

        /** The reset succeeded but the tracking could not be set up again: the gateway can no longer read the session. */
        void untracked(String reason, int statusFlags);
    }

    private enum State {
        RESETTING,
        TRACKING,
        DONE
    }

    private final Channel backend;
    private final long capabilities;
    private final Listener listener;
    private State state = State.RESETTING;

    /** @param capabilities the flags agreed with the backend (CLIENT_SESSION_TRACK decides whether it can track) */
    BackendReset(Channel backend, long capabilities, Listener listener) {
        this.backend = backend;
        this.capabilities = capabilities;
        this.listener = listener;
    }

    void start() {
        backend.writeAndFlush(
                MySQLFrame.of(0, backend.alloc().buffer(1).writeByte(CommandType.COM_RESET_CONNECTION.code())));
    }

    boolean isDone() {
        return state == State.DONE;
    }

    /** An answer of the backend, to the reset or to the tracking SET. */
    void onBackendFrame(MySQLFrame frame) {
        try {
            ByteBuf payload = frame.payload();
            int header = payload.isReadable() ? payload.getUnsignedByte(payload.readerIndex()) : -1;
            if (state == State.RESETTING) {
                onResetAnswer(header, payload);
            } else if (state == State.TRACKING) {
                onTrackingAnswer(header, payload);
            }
        } finally {
            frame.release();
        }
    }

    private void onResetAnswer(int header, ByteBuf payload) {
        if (header != OkPacket.HEADER) {
            state = State.DONE;
            listener.failed(
                    header == ErrPacket.HEADER
                            ? ErrPacket.read(new MySQLPayload(payload.duplicate()))
                            : Errors.malformed("unexpected answer of the target to COM_RESET_CONNECTION"));
            return;
        }
        int statusFlags = OkPacket.read(new MySQLPayload(payload.duplicate()), capabilities)
                .statusFlags();
        if (!CapabilityFlags.has(capabilities, CapabilityFlags.CLIENT_SESSION_TRACK)) {
            state = State.DONE;
            listener.reset(Map.of(), statusFlags);
            return;
        }
        state = State.TRACKING;
        backend.writeAndFlush(MySQLFrame.fromPacket(new ComQueryPacket(SessionTracking.ESTABLISH), 0, backend.alloc()));
    }

    private void onTrackingAnswer(int header, ByteBuf payload) {
        state = State.DONE;
        if (header != OkPacket.HEADER) {
            String why = header == ErrPacket.HEADER
                    ? ErrPacket.read(new MySQLPayload(payload.duplicate())).message()
                    : "an unexpected answer";
            listener.untracked(
                    "the target refused to track session state again after COM_RESET_CONNECTION (" + why
                            + "); reconnect",
                    0x0002);
            return;
        }
        OkPacket ok = OkPacket.read(new MySQLPayload(payload.duplicate()), capabilities);
        listener.reset(SessionStateChanges.parse(ok.sessionStateInfo()).systemVariables(), ok.statusFlags());
    }
}
