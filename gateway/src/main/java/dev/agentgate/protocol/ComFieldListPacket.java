package dev.agentgate.protocol;

/**
 * Lists a table's columns (deprecated, still sent by old clients).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_field_list.html">COM_FIELD_LIST</a>
 */
public record ComFieldListPacket(String table, String fieldWildcard) implements MySQLPacket {

    public static ComFieldListPacket read(MySQLPayload payload) {
        payload.readCommand(CommandType.COM_FIELD_LIST);
        return new ComFieldListPacket(payload.readStringNul(), payload.readStringEof());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(CommandType.COM_FIELD_LIST.code());
        payload.writeStringNul(table);
        payload.writeStringEof(fieldWildcard);
    }
}
