package dev.agentgate.protocol;

/**
 * Resets a prepared statement's long data and cursor; answered with OK or ERR.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_reset.html">COM_STMT_RESET</a>
 */
public record ComStmtResetPacket(int statementId) implements MySQLPacket {

    public static ComStmtResetPacket read(MySQLPayload payload) {
        payload.readCommand(CommandType.COM_STMT_RESET);
        return new ComStmtResetPacket(payload.readInt4());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(CommandType.COM_STMT_RESET.code());
        payload.writeInt4(statementId);
    }
}
