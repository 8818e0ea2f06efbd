package dev.agentgate.protocol;

/**
 * The 32-byte request to switch to TLS; it is also the common prefix of {@link HandshakeResponse41Packet}.
 * {@code capabilityFlags} holds MariaDB's extended capabilities in bits 32-63 (0 for MySQL clients).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_ssl_request.html">Protocol::SSLRequest</a>
 */
public record SslRequestPacket(long capabilityFlags, int maxPacketSize, int characterSet) implements MySQLPacket {

    public static final int LENGTH = 32;
    /** 23 filler bytes; MariaDB uses their last 4 for its extended capabilities (see {@link CapabilityFlags}). */
    private static final int FILLER_LENGTH = 19;

    /** True when a handshake response payload is an SSLRequest (exactly 32 bytes with CLIENT_SSL set). */
    public static boolean isSslRequest(MySQLPayload payload) {
        return payload.readableBytes() == LENGTH
                && CapabilityFlags.has(
                        Integer.toUnsignedLong(
                                payload.byteBuf().getIntLE(payload.byteBuf().readerIndex())),
                        CapabilityFlags.CLIENT_SSL);
    }

    public static SslRequestPacket read(MySQLPayload payload) {
        long capabilityFlags = Integer.toUnsignedLong(payload.readInt4());
        int maxPacketSize = payload.readInt4();
        int characterSet = payload.readInt1();
        payload.skipReserved(FILLER_LENGTH);
        capabilityFlags = CapabilityFlags.withMariaDbExtended(capabilityFlags, payload.readInt4());
        return new SslRequestPacket(capabilityFlags, maxPacketSize, characterSet);
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt4((int) capabilityFlags);
        payload.writeInt4(maxPacketSize);
        payload.writeInt1(characterSet);
        payload.writeReserved(FILLER_LENGTH);
        payload.writeInt4(CapabilityFlags.mariaDbExtended(capabilityFlags));
    }
}
