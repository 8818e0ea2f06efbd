package dev.agentgate.recording;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.protocol.ResponseTranscript;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a recorded session the way the mysql command-line client shows one: each statement after a prompt, its
 * decision, and the tables, OKs and errors the agent received. A FETCH's rows get the columns of the EXECUTE that
 * opened the cursor.
 */
public final class TranscriptRenderer {

    private final PrintWriter out;
    private final StatementResponses responses = new StatementResponses();

    public TranscriptRenderer(PrintWriter out) {
        this.out = out;
    }

    public void header(String sessionId, JsonNode start) {
        out.printf(
                "-- session %s: %s (%s) on target %s, from %s%n",
                sessionId,
                start.path("identity").path("subject").asText(),
                start.path("identity").path("issuer").asText(),
                start.path("target").asText(),
                start.path("client_address").asText());
    }

    public void statement(RecordedStatement statement) {
        out.println("mysql> "
                + (statement.sql() == null
                        ? statement.command()
                        : statement.sql().strip() + ";"));
        if (statement.command().equals("COM_STMT_EXECUTE")
                && !statement.parameters().isEmpty()) {
            out.println("-- parameters: " + statement.parameters());
        }
        if (statement.action() != null) {
            out.println("-- policy: " + statement.action()
                    + (statement.reason() == null ? "" : " (" + statement.reason() + ")"));
        }
        try {
            for (ResponseTranscript.Part part : responses.partsOf(statement)) {
                render(part, statement);
            }
        } catch (RuntimeException undecodable) {
            out.println("-- (response not decodable: " + undecodable.getMessage() + ")");
        }
        if (statement.cutPackets() > 0) {
            out.printf(
                    "-- (%d more response packet(s), %d bytes, not recorded: recording.max_result_bytes)%n",
                    statement.cutPackets(), statement.cutBytes());
        }
        out.println();
    }

    private void render(ResponseTranscript.Part part, RecordedStatement statement) {
        if (part instanceof ResponseTranscript.Ok ok) {
            out.printf("Query OK, %d row(s) affected%s%n", ok.affectedRows(), warnings(ok.warnings()));
        } else if (part instanceof ResponseTranscript.Error error) {
            out.printf("ERROR %d (%s): %s%n", error.code(), error.sqlState(), error.message());
        } else if (part instanceof ResponseTranscript.Prepared prepared) {
            out.printf(
                    "Statement prepared (id %d, %d parameter(s), %d column(s))%n",
                    prepared.statementId(), prepared.parameters(), prepared.columns());
        } else if (part instanceof ResponseTranscript.ResultSet table) {
            table(table);
        }
    }

    private void table(ResponseTranscript.ResultSet table) {
        List<String> names = table.columns();
        int[] widths = new int[names.size()];
        List<List<String>> cells = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            widths[i] = names.get(i).length();
        }
        for (List<byte[]> row : table.rows()) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                String text = row.get(i) == null ? "NULL" : table.text(row, i);
                texts.add(text);
                widths[i] = Math.max(widths[i], text.length());
            }
            cells.add(texts);
        }
        if (!cells.isEmpty()) {
            String rule = rule(widths);
            out.println(rule);
            out.println(line(names, widths));
            out.println(rule);
            cells.forEach(row -> out.println(line(row, widths)));
            out.println(rule);
        }
        int rows = cells.size();
        out.println(rows == 0 ? "Empty set" : rows + (rows == 1 ? " row in set" : " rows in set"));
    }

    private static String rule(int[] widths) {
        StringBuilder rule = new StringBuilder("+");
        for (int width : widths) {
            rule.append("-".repeat(width + 2)).append('+');
        }
        return rule.toString();
    }

    private static String line(List<String> values, int[] widths) {
        StringBuilder line = new StringBuilder("|");
        for (int i = 0; i < widths.length; i++) {
            String value = i < values.size() ? values.get(i) : "";
            line.append(' ')
                    .append(value)
                    .append(" ".repeat(widths[i] - value.length()))
                    .append(" |");
        }
        return line.toString();
    }

    private static String warnings(int warnings) {
        return warnings == 0 ? "" : ", " + warnings + " warning(s)";
    }

    public void flush() {
        out.flush();
    }
}
