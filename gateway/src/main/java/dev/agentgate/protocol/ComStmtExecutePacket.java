package dev.agentgate.protocol;

import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;

/**
 * Executes a prepared statement. Only the header is parsed on reading; the null bitmap, parameter types and
 * values depend on the statement's parameter count and are kept raw until {@link #parameters} decodes them.
 *
 * @param flags cursor type (bits 0-2) and MariaDB/MySQL extension bits
 * @param parameters everything after the iteration count, unparsed
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html">COM_STMT_EXECUTE</a>
 * @see BinaryParameterValues
 */
public record ComStmtExecutePacket(int statementId, int flags, int iterationCount, byte[] parameters)
        implements MySQLPacket {

    public static final int CURSOR_TYPE_NO_CURSOR = 0x00;
    public static final int CURSOR_TYPE_READ_ONLY = 0x01;
    public static final int CURSOR_TYPE_FOR_UPDATE = 0x02;
    public static final int CURSOR_TYPE_SCROLLABLE = 0x04;
    private static final int CURSOR_TYPE_MASK = 0x07;

    public static ComStmtExecutePacket read(MySQLPayload payload) {
        payload.readCommand(CommandType.COM_STMT_EXECUTE);
        int statementId = payload.readInt4();
        int flags = payload.readInt1();
        int iterationCount = payload.readInt4();
        return new ComStmtExecutePacket(statementId, flags, iterationCount, payload.readStringEofBytes());
    }

    /** True when the client asked for a cursor: rows then come with COM_STMT_FETCH. */
    public boolean cursorRequested() {
        return (flags & CURSOR_TYPE_MASK) != CURSOR_TYPE_NO_CURSOR;
    }

    /**
     * Decodes the bound values.
     *
     * @param numParams the statement's parameter count, from COM_STMT_PREPARE_OK
     * @param previousTypes the types the last execute of this statement bound; used when this one sends none
     * @param longData parameter index to the bytes sent for it with COM_STMT_SEND_LONG_DATA
     */
    public BoundParameters parameters(int numParams, List<ParameterType> previousTypes, Map<Integer, byte[]> longData) {
        return BinaryParameterValues.read(
                new MySQLPayload(Unpooled.wrappedBuffer(parameters)), numParams, previousTypes, longData);
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(CommandType.COM_STMT_EXECUTE.code());
        payload.writeInt4(statementId);
        payload.writeInt1(flags);
        payload.writeInt4(iterationCount);
        payload.writeBytes(parameters);
    }
}
