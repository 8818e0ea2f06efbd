package dev.agentgate.transport.backend;

import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.HandshakeV10Packet;
import dev.agentgate.protocol.MalformedPacketException;
import dev.agentgate.protocol.MySQLPayload;
import io.netty.buffer.ByteBuf;

/**
 * What a backend announces in its greeting, as {@link BackendProbe} reports it.
 *
 * @param capabilityFlags with a MariaDB server's extended capabilities in bits 32-63
 */
public record BackendGreeting(String serverVersion, long capabilityFlags, int characterSet) {

    /** Parses the first packet a backend sends: its HandshakeV10, or an ERR when it refuses the connection. */
    static HandshakeV10Packet readHandshake(String target, ByteBuf payload) throws BackendConnectException {
        try {
            if (payload.isReadable() && payload.getUnsignedByte(payload.readerIndex()) == ErrPacket.HEADER) {
                ErrPacket err = ErrPacket.read(new MySQLPayload(payload));
                throw new BackendConnectException("target '" + target + "' refused the connection: " + err.message());
            }
            return HandshakeV10Packet.read(new MySQLPayload(payload));
        } catch (MalformedPacketException | IndexOutOfBoundsException e) {
            throw BackendConnectException.protocolError(target, "sent a malformed greeting", e);
        }
    }

    static BackendGreeting of(HandshakeV10Packet handshake) {
        return new BackendGreeting(handshake.serverVersion(), capabilities(handshake), handshake.characterSet());
    }

    /** The greeting's capability flags with a MariaDB server's extended capabilities in bits 32-63. */
    static long capabilities(HandshakeV10Packet handshake) {
        return CapabilityFlags.withMariaDbExtended(
                handshake.capabilityFlags(), handshake.mariaDbExtendedCapabilities());
    }
}
