package dev.agentgate.protocol;

/**
 * Success of a command (header 0x00), or the end of a result set under CLIENT_DEPRECATE_EOF (header 0xFE).
 * The info text is read and written length-encoded whenever present, as MySQL's {@code net_send_ok} and
 * libmysql's {@code read_ok_ex} do (the documentation's string&lt;EOF&gt; does not match the servers).
 * Session state changes are kept as raw bytes.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html">OK_Packet</a>
 */
public record OkPacket(
        int header,
        long affectedRows,
        long lastInsertId,
        int statusFlags,
        int warnings,
        String info,
        byte[] sessionStateInfo)
        implements MySQLPacket {

    public static final int HEADER = 0x00;
    public static final int EOF_HEADER = 0xFE;

    public static OkPacket of(long affectedRows, long lastInsertId, int statusFlags, int warnings) {
        return new OkPacket(HEADER, affectedRows, lastInsertId, statusFlags, warnings, "", new byte[0]);
    }

    public static OkPacket read(MySQLPayload payload, long capabilityFlags) {
        int header = payload.readInt1();
        if (header != HEADER && header != EOF_HEADER) {
            throw new MalformedPacketException(
                    "OK packet: header 0x00 or 0xfe expected, was 0x" + Integer.toHexString(header));
        }
        long affectedRows = payload.readIntLenenc();
        long lastInsertId = payload.readIntLenenc();
        int statusFlags = 0;
        int warnings = 0;
        if (CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_PROTOCOL_41)) {
            statusFlags = payload.readInt2();
            warnings = payload.readInt2();
        } else if (CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_TRANSACTIONS)) {
            statusFlags = payload.readInt2();
        }
        String info = payload.hasRemaining() ? payload.readStringLenenc() : "";
        byte[] sessionState = new byte[0];
        if (CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_SESSION_TRACK)
                && ServerStatusFlags.has(statusFlags, ServerStatusFlags.SERVER_SESSION_STATE_CHANGED)
                && payload.hasRemaining()) {
            sessionState = payload.readStringLenencBytes();
        }
        return new OkPacket(header, affectedRows, lastInsertId, statusFlags, warnings, info, sessionState);
    }

    /** Writes the CLIENT_PROTOCOL_41 form; session state only when present. */
    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(header);
        payload.writeIntLenenc(affectedRows);
        payload.writeIntLenenc(lastInsertId);
        payload.writeInt2(statusFlags);
        payload.writeInt2(warnings);
        if (sessionStateInfo.length > 0) {
            payload.writeStringLenenc(info);
            payload.writeBytesLenenc(sessionStateInfo);
        } else if (!info.isEmpty()) {
            payload.writeStringLenenc(info);
        }
    }
}
