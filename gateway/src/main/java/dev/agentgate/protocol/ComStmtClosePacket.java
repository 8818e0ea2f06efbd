package dev.agentgate.protocol;

/**
 * Deallocates a prepared statement; the server sends no response.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_close.html">COM_STMT_CLOSE</a>
 */
public record ComStmtClosePacket(int statementId) implements MySQLPacket {

    public static ComStmtClosePacket read(MySQLPayload payload) {
        payload.readCommand(CommandType.COM_STMT_CLOSE);
        return new ComStmtClosePacket(payload.readInt4());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(CommandType.COM_STMT_CLOSE.code());
        payload.writeInt4(statementId);
    }
}
