package dev.agentgate.protocol;

/**
 * Changes the default schema ({@code USE schema}).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_init_db.html">COM_INIT_DB</a>
 */
public record ComInitDbPacket(String schema) implements MySQLPacket {

    public static ComInitDbPacket read(MySQLPayload payload) {
        payload.readCommand(CommandType.COM_INIT_DB);
        return new ComInitDbPacket(payload.readStringEof());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(CommandType.COM_INIT_DB.code());
        payload.writeStringEof(schema);
    }
}
