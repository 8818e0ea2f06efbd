package dev.agentgate.protocol;

/**
 * Fetches rows from an open cursor.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_fetch.html">COM_STMT_FETCH</a>
 */
public record ComStmtFetchPacket(int statementId, int numRows) implements MySQLPacket {

    public static ComStmtFetchPacket read(MySQLPayload payload) {
        payload.readCommand(CommandType.COM_STMT_FETCH);
        int statementId = payload.readInt4();
        return new ComStmtFetchPacket(statementId, payload.readInt4());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(CommandType.COM_STMT_FETCH.code());
        payload.writeInt4(statementId);
        payload.writeInt4(numRows);
    }
}
