package dev.agentgate.e2e.masking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Everything a client received for a list of statements on one connection, one line per item: each
 * statement's result sets (column label, name, schema.table, type, precision, scale, nullability, then every
 * row's values as getString and getBytes in hex), its
 * update count, its error (code, SQLSTATE, message, and the messages of the causes), the statement's and
 * the connection's SQL warnings, and (optionally) what a SHOW WARNINGS right after it answered.
 */
final class Transcript {

    /** Parts of a message that differ between two runs of the same statement for reasons other than the data. */
    private static final List<Pattern> RUN_SPECIFIC = List.of(
            Pattern.compile("\\[decision [0-9a-f-]{36}]"), Pattern.compile("\\(conn[=:]\\d+\\)"),
            Pattern.compile("conn[=:]\\d+"), Pattern.compile("thread ?id[=: ]*\\d+", Pattern.CASE_INSENSITIVE));

    private final List<String> lines = new ArrayList<>();

    List<String> lines() {
        return lines;
    }

    /** The lines with decision ids and connection ids blanked, for comparing two runs. */
    List<String> normalized() {
        return lines.stream().map(Transcript::normalize).toList();
    }

    static String normalize(String line) {
        String result = line;
        for (Pattern pattern : RUN_SPECIFIC) {
            result = pattern.matcher(result).replaceAll("<run-specific>");
        }
        return result;
    }

    void add(String line) {
        lines.add(line);
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }

    /** How the statements are sent over JDBC. */
    enum Way {
        /** Statement.execute: COM_QUERY, text rows; multi-statements allowed (allowMultiQueries). */
        TEXT,
        /** PreparedStatement with server-side preparing: COM_STMT_PREPARE + COM_STMT_EXECUTE, binary rows. */
        SERVER_PREPARED,
        /** Like SERVER_PREPARED with a cursor (Connector/J useCursorFetch, fetch size 1): rows by COM_STMT_FETCH. */
        CURSOR_FETCH
    }

    /**
     * Runs {@code statements} on {@code connection} the given way, recording everything, with a SHOW WARNINGS after
     * each when {@code showWarnings}; never throws for SQL errors.
     */
    static Transcript record(Connection connection, Way way, List<String> statements, boolean showWarnings) {
        Transcript transcript = new Transcript();
        for (String sql : statements) {
            transcript.add("> " + sql);
            transcript.run(connection, way, sql);
            if (showWarnings) {
                transcript.showWarnings(connection);
            }
        }
        return transcript;
    }

    /**
     * Prepares {@code sql} once (server-side, as the connection is configured) and executes it with each of
     * {@code parameterSets} (fetch size 1 for {@link Way#CURSOR_FETCH}), recording each execution.
     */
    static Transcript recordExecutions(Connection connection, Way way, String sql, List<List<Object>> parameterSets) {
        Transcript transcript = new Transcript();
        transcript.add("> prepare " + sql);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (way == Way.CURSOR_FETCH) {
                statement.setFetchSize(1);
            }
            for (List<Object> parameters : parameterSets) {
                transcript.add("> execute with " + parameters);
                for (int i = 0; i < parameters.size(); i++) {
                    statement.setObject(i + 1, parameters.get(i));
                }
                try {
                    transcript.results(statement, statement.execute());
                } catch (SQLException e) {
                    transcript.error(e);
                }
            }
        } catch (SQLException e) {
            transcript.error(e);
        }
        transcript.showWarnings(connection);
        return transcript;
    }

    private void run(Connection connection, Way way, String sql) {
        try {
            if (way == Way.TEXT) {
                try (Statement statement = connection.createStatement()) {
                    results(statement, statement.execute(sql));
                }
            } else {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    if (way == Way.CURSOR_FETCH) {
                        statement.setFetchSize(1);
                    }
                    results(statement, statement.execute());
                }
            }
        } catch (SQLException e) {
            error(e);
        } finally {
            warnings("connection warning", () -> connection.getWarnings());
            try {
                connection.clearWarnings();
            } catch (SQLException e) {
                error(e);
            }
        }
    }

    private void results(Statement statement, boolean firstIsResultSet) throws SQLException {
        boolean isResultSet = firstIsResultSet;
        for (int guard = 0; guard < 100; guard++) {
            if (isResultSet) {
                try (ResultSet rs = statement.getResultSet()) {
                    resultSet(rs);
                    warnings("result set warning", rs::getWarnings);
                }
            } else {
                int updateCount = statement.getUpdateCount();
                if (updateCount == -1) {
                    break;
                }
                add("update count " + updateCount);
            }
            warnings("statement warning", statement::getWarnings);
            statement.clearWarnings();
            isResultSet = statement.getMoreResults();
        }
    }

    private void resultSet(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        StringBuilder columns = new StringBuilder("columns:");
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.append(" [")
                    .append(meta.getColumnLabel(i))
                    .append(" | ")
                    .append(meta.getColumnName(i))
                    .append(" | ")
                    .append(meta.getCatalogName(i))
                    .append('.')
                    .append(meta.getTableName(i))
                    .append(" | ")
                    .append(meta.getColumnType(i))
                    .append(' ')
                    .append(meta.getColumnTypeName(i))
                    .append('(')
                    .append(meta.getPrecision(i))
                    .append(',')
                    .append(meta.getScale(i))
                    .append(meta.isSigned(i) ? " signed" : "")
                    .append(meta.isNullable(i) == ResultSetMetaData.columnNoNulls ? " not null" : "")
                    .append(")]");
        }
        add(columns.toString());
        while (rs.next()) {
            StringBuilder row = new StringBuilder("row:");
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                row.append(" [")
                        .append(rs.getString(i))
                        .append(" | ")
                        .append(bytesOf(rs, i))
                        .append(']');
            }
            add(row.toString());
        }
    }

    /** getBytes in hex; MariaDB Connector/J refuses it for numbers and temporals in binary rows (then: "no bytes"). */
    private static String bytesOf(ResultSet rs, int column) {
        try {
            byte[] bytes = rs.getBytes(column);
            return bytes == null ? "null" : HexFormat.of().formatHex(bytes);
        } catch (SQLException e) {
            return "no bytes";
        }
    }

    private void showWarnings(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            add("SHOW WARNINGS:");
            resultSet(statement.executeQuery("SHOW WARNINGS"));
        } catch (SQLException e) {
            error(e);
        }
    }

    private void error(SQLException e) {
        StringBuilder line = new StringBuilder("error ")
                .append(e.getErrorCode())
                .append(" (")
                .append(e.getSQLState())
                .append("): ")
                .append(e.getMessage());
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            line.append(" | caused by ").append(cause);
        }
        for (SQLException next = e.getNextException(); next != null; next = next.getNextException()) {
            line.append(" | next ").append(next.getErrorCode()).append(": ").append(next.getMessage());
        }
        add(line.toString());
    }

    private interface WarningSource {
        SQLWarning get() throws SQLException;
    }

    private void warnings(String kind, WarningSource source) {
        try {
            for (SQLWarning warning = source.get(); warning != null; warning = warning.getNextWarning()) {
                add(kind + " " + warning.getErrorCode() + " (" + warning.getSQLState() + "): " + warning.getMessage());
            }
        } catch (SQLException e) {
            error(e);
        }
    }
}
