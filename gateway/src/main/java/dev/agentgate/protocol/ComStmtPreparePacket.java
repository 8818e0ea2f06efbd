package dev.agentgate.protocol;

/**
 * Prepares a statement; the server answers with {@link ComStmtPrepareOkPacket} and definitions, or ERR.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html">COM_STMT_PREPARE</a>
 */
public record ComStmtPreparePacket(String sql) implements MySQLPacket {

    public static ComStmtPreparePacket read(MySQLPayload payload) {
        payload.readCommand(CommandType.COM_STMT_PREPARE);
        return new ComStmtPreparePacket(payload.readStringEof());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(CommandType.COM_STMT_PREPARE.code());
        payload.writeStringEof(sql);
    }
}
