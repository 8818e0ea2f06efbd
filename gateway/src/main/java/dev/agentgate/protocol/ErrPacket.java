package dev.agentgate.protocol;

/**
 * A failed command. The '#' SQLSTATE marker is optional on read (servers omit it before capabilities are
 * negotiated; the state then defaults to HY000) and always written.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_err_packet.html">ERR_Packet</a>
 */
public record ErrPacket(int errorCode, String sqlState, String message) implements MySQLPacket {

    public static final int HEADER = 0xFF;
    public static final String GENERAL_SQL_STATE = "HY000";
    private static final int SQL_STATE_MARKER = '#';
    private static final int SQL_STATE_LENGTH = 5;

    public ErrPacket {
        if (sqlState.length() != SQL_STATE_LENGTH) {
            throw new IllegalArgumentException("sqlState must have 5 characters, was '" + sqlState + "'");
        }
    }

    /** An error with the code's SQLSTATE and its default message filled with {@code args}. */
    public static ErrPacket of(MySQLErrorCode code, Object... args) {
        return new ErrPacket(code.code(), code.sqlState(), code.message(args));
    }

    public static ErrPacket read(MySQLPayload payload) {
        payload.readHeader(HEADER, "ERR packet");
        int errorCode = payload.readInt2();
        String sqlState = GENERAL_SQL_STATE;
        if (payload.hasRemaining() && payload.peekInt1() == SQL_STATE_MARKER) {
            payload.skipReserved(1);
            sqlState = payload.readStringFix(SQL_STATE_LENGTH);
        }
        return new ErrPacket(errorCode, sqlState, payload.readStringEof());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(HEADER);
        payload.writeInt2(errorCode);
        payload.writeInt1(SQL_STATE_MARKER);
        payload.writeStringFix(sqlState);
        payload.writeStringEof(message);
    }
}
