package dev.agentgate.protocol;

/**
 * End of column definitions or rows when CLIENT_DEPRECATE_EOF is not negotiated. The gateway requires
 * CLIENT_PROTOCOL_41, so warnings and status are always present.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_eof_packet.html">EOF_Packet</a>
 */
public record EofPacket(int warnings, int statusFlags) implements MySQLPacket {

    public static final int HEADER = 0xFE;
    /** An EOF packet is shorter than this; longer 0xFE packets are rows or OK packets. */
    public static final int MAX_LENGTH_EXCLUSIVE = 9;

    public static EofPacket read(MySQLPayload payload) {
        payload.readHeader(HEADER, "EOF packet");
        int warnings = payload.readInt2();
        return new EofPacket(warnings, payload.readInt2());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(HEADER);
        payload.writeInt2(warnings);
        payload.writeInt2(statusFlags);
    }
}
