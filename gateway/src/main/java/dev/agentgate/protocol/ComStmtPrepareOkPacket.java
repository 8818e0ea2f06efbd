package dev.agentgate.protocol;

/**
 * First packet of a successful COM_STMT_PREPARE response; the parameter and column definitions follow.
 * A trailing metadata_follows byte (CLIENT_OPTIONAL_RESULTSET_METADATA, not negotiated by the gateway) is skipped.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html#sect_protocol_com_stmt_prepare_response_ok">COM_STMT_PREPARE_OK</a>
 */
public record ComStmtPrepareOkPacket(int statementId, int numColumns, int numParams, int warnings)
        implements MySQLPacket {

    public static final int HEADER = 0x00;

    public static ComStmtPrepareOkPacket read(MySQLPayload payload) {
        payload.readHeader(HEADER, "COM_STMT_PREPARE_OK");
        int statementId = payload.readInt4();
        int numColumns = payload.readInt2();
        int numParams = payload.readInt2();
        payload.skipReserved(1);
        int warnings = payload.readableBytes() >= 2 ? payload.readInt2() : 0;
        payload.skipReserved(payload.readableBytes());
        return new ComStmtPrepareOkPacket(statementId, numColumns, numParams, warnings);
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(HEADER);
        payload.writeInt4(statementId);
        payload.writeInt2(numColumns);
        payload.writeInt2(numParams);
        payload.writeReserved(1);
        payload.writeInt2(warnings);
    }
}
