package dev.agentgate.protocol;

import java.util.Arrays;

/**
 * The server's greeting. The 20-byte scramble travels split: 8 bytes in part 1, the rest (12 bytes plus a NUL,
 * at least 13 bytes) in part 2. MariaDB uses the last 4 of the 10 reserved bytes for its extended capabilities;
 * they are kept in {@code mariaDbExtendedCapabilities} (0 for MySQL).
 *
 * @param authPluginData the complete scramble (part 1 + part 2, without part 2's trailing NUL)
 * @param capabilityFlags lower and upper 16 bits combined
 * @param authPluginName empty when the server does not announce CLIENT_PLUGIN_AUTH
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html">Protocol::HandshakeV10</a>
 */
public record HandshakeV10Packet(
        int protocolVersion,
        String serverVersion,
        int connectionId,
        byte[] authPluginData,
        long capabilityFlags,
        int characterSet,
        int statusFlags,
        String authPluginName,
        int mariaDbExtendedCapabilities)
        implements MySQLPacket {

    public static final int PROTOCOL_VERSION = 10;
    private static final int PART1_LENGTH = 8;
    private static final int MIN_PART2_LENGTH = 13;

    public static HandshakeV10Packet read(MySQLPayload payload) {
        payload.readHeader(PROTOCOL_VERSION, "HandshakeV10 protocol version");
        String serverVersion = payload.readStringNul();
        int connectionId = payload.readInt4();
        byte[] part1 = payload.readStringFixBytes(PART1_LENGTH);
        payload.skipReserved(1);
        int lowerFlags = payload.readInt2();
        if (!payload.hasRemaining()) {
            return new HandshakeV10Packet(
                    PROTOCOL_VERSION, serverVersion, connectionId, part1, lowerFlags, 0, 0, "", 0);
        }
        int characterSet = payload.readInt1();
        int statusFlags = payload.readInt2();
        long capabilityFlags = CapabilityFlags.combine(lowerFlags, payload.readInt2());
        int authPluginDataLength = payload.readInt1();
        payload.skipReserved(6);
        int mariaDbCapabilities = payload.readInt4();
        byte[] part2 = new byte[0];
        if (CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_SECURE_CONNECTION)) {
            int part2Length = Math.max(MIN_PART2_LENGTH, authPluginDataLength - PART1_LENGTH);
            part2 = withoutTrailingNul(payload.readStringFixBytes(Math.min(part2Length, payload.readableBytes())));
        }
        String pluginName = "";
        if (CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_PLUGIN_AUTH) && payload.hasRemaining()) {
            // MySQL 5.5.7-5.5.9 omitted the terminating NUL
            boolean terminated = payload.byteBuf().bytesBefore((byte) 0) >= 0;
            pluginName = terminated ? payload.readStringNul() : payload.readStringEof();
        }
        return new HandshakeV10Packet(
                PROTOCOL_VERSION,
                serverVersion,
                connectionId,
                concat(part1, part2),
                capabilityFlags,
                characterSet,
                statusFlags,
                pluginName,
                mariaDbCapabilities);
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(protocolVersion);
        payload.writeStringNul(serverVersion);
        payload.writeInt4(connectionId);
        payload.writeBytes(Arrays.copyOf(authPluginData, PART1_LENGTH));
        payload.writeReserved(1);
        payload.writeInt2(CapabilityFlags.lower(capabilityFlags));
        payload.writeInt1(characterSet);
        payload.writeInt2(statusFlags);
        payload.writeInt2(CapabilityFlags.upper(capabilityFlags));
        boolean pluginAuth = CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_PLUGIN_AUTH);
        payload.writeInt1(pluginAuth ? authPluginData.length + 1 : 0);
        payload.writeReserved(6);
        payload.writeInt4(mariaDbExtendedCapabilities);
        if (CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_SECURE_CONNECTION)) {
            byte[] part2 = Arrays.copyOfRange(
                    authPluginData, Math.min(PART1_LENGTH, authPluginData.length), authPluginData.length);
            payload.writeBytes(part2);
            payload.writeReserved(Math.max(1, MIN_PART2_LENGTH - part2.length));
        }
        if (pluginAuth) {
            payload.writeStringNul(authPluginName);
        }
    }

    private static byte[] withoutTrailingNul(byte[] bytes) {
        return bytes.length > 0 && bytes[bytes.length - 1] == 0 ? Arrays.copyOf(bytes, bytes.length - 1) : bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] result = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, result, first.length, second.length);
        return result;
    }
}
