package dev.agentgate.protocol;

/**
 * Sends one chunk of a parameter's value ahead of COM_STMT_EXECUTE; the server sends no response.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_send_long_data.html">COM_STMT_SEND_LONG_DATA</a>
 */
public record ComStmtSendLongDataPacket(int statementId, int paramId, byte[] data) implements MySQLPacket {

    public static ComStmtSendLongDataPacket read(MySQLPayload payload) {
        payload.readCommand(CommandType.COM_STMT_SEND_LONG_DATA);
        int statementId = payload.readInt4();
        int paramId = payload.readInt2();
        return new ComStmtSendLongDataPacket(statementId, paramId, payload.readStringEofBytes());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(CommandType.COM_STMT_SEND_LONG_DATA.code());
        payload.writeInt4(statementId);
        payload.writeInt2(paramId);
        payload.writeBytes(data);
    }
}
