package dev.agentgate.protocol;

/**
 * The type of one bound parameter as COM_STMT_EXECUTE sends it: the column type byte and a flags byte whose
 * high bit marks an unsigned integer.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html">COM_STMT_EXECUTE</a>
 */
public record ParameterType(ColumnType type, boolean unsigned) {

    static final int UNSIGNED_FLAG = 0x80;

    public ParameterType {
        if (type == null) {
            throw new IllegalArgumentException("parameter type must not be null");
        }
    }

    public static ParameterType read(MySQLPayload payload) {
        int code = payload.readInt1();
        int flags = payload.readInt1();
        ColumnType type = ColumnType.fromCode(code)
                .orElseThrow(() -> new MalformedPacketException(
                        "COM_STMT_EXECUTE: unknown parameter type 0x" + Integer.toHexString(code)));
        return new ParameterType(type, (flags & UNSIGNED_FLAG) != 0);
    }

    public void write(MySQLPayload payload) {
        payload.writeInt1(type.code());
        payload.writeInt1(unsigned ? UNSIGNED_FLAG : 0);
    }
}
