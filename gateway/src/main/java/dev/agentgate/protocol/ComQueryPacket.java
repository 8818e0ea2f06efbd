package dev.agentgate.protocol;

/**
 * A text-protocol statement. The gateway does not negotiate CLIENT_QUERY_ATTRIBUTES, so the statement is the
 * whole rest of the packet.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html">COM_QUERY</a>
 */
public record ComQueryPacket(String sql) implements MySQLPacket {

    public static ComQueryPacket read(MySQLPayload payload) {
        payload.readCommand(CommandType.COM_QUERY);
        return new ComQueryPacket(payload.readStringEof());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(CommandType.COM_QUERY.code());
        payload.writeStringEof(sql);
    }
}
