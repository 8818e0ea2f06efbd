package dev.agentgate.recording;

import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.ResponseTranscript;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a session's recorded responses back in order, as the client saw them: a FETCH's rows get the columns of the
 * EXECUTE that opened the cursor, so one instance follows one session from its first statement. Shared by the CLI's
 * transcript and the review API's.
 */
public final class StatementResponses {

    private final Map<Long, List<ColumnDefinition41Packet>> cursorColumns = new HashMap<>();

    /**
     * The parts of {@code statement}'s response (OKs, errors, result sets, a prepared statement).
     *
     * @throws RuntimeException when the recorded packets cannot be decoded
     */
    public List<ResponseTranscript.Part> partsOf(RecordedStatement statement) {
        List<byte[]> response = statement.response();
        if (statement.command().equals("COM_STMT_EXECUTE")) {
            List<ColumnDefinition41Packet> columns = ResponseTranscript.columnsOf(response);
            if (!columns.isEmpty()) {
                cursorColumns.put(statement.commandNo(), columns);
            }
        }
        List<ColumnDefinition41Packet> known = statement.command().equals("COM_STMT_FETCH") ? lastCursor() : List.of();
        return ResponseTranscript.decode(response, statement.command(), known);
    }

    private List<ColumnDefinition41Packet> lastCursor() {
        return cursorColumns.isEmpty()
                ? List.of()
                : cursorColumns.get(
                        cursorColumns.keySet().stream().max(Long::compare).orElseThrow());
    }
}
