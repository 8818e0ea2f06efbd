package dev.agentgate.e2e.env;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A way a client sends one SQL statement through the gateway, each on a fresh login: JDBC text protocol
 * (MySQL Connector/J, COM_QUERY), JDBC server-side prepared statement (MariaDB Connector/J,
 * COM_STMT_PREPARE + COM_STMT_EXECUTE) and the {@code mariadb} CLI script. Every route reports the same
 * {@link Outcome}, so one assertion covers all of them.
 */
public enum ClientRoute {
    CONNECTOR_J_TEXT {
        @Override
        Outcome send(GatewayExtension gateway, String token, String sql) throws SQLException {
            try (Connection connection = gateway.connectWithToken(JdbcClient.CONNECTOR_J, token);
                    Statement statement = connection.createStatement()) {
                return statement.execute(sql)
                        ? Outcome.rows(Sql.rows(statement.getResultSet()))
                        : Outcome.rows(List.of());
            }
        }
    },
    MARIADB_CONNECTOR_J_SERVER_PREPARED {
        @Override
        Outcome send(GatewayExtension gateway, String token, String sql) throws SQLException {
            try (Connection connection =
                            gateway.connectWithToken(JdbcClient.MARIADB_CONNECTOR_J, token, "useServerPrepStmts=true");
                    PreparedStatement statement = connection.prepareStatement(sql)) {
                return statement.execute() ? Outcome.rows(Sql.rows(statement.getResultSet())) : Outcome.rows(List.of());
            }
        }
    },
    MARIADB_CLI {
        @Override
        Outcome send(GatewayExtension gateway, String token, String sql) {
            GatewayProcess process = gateway.process();
            return ofMariadbCli(ClientScript.MARIADB_CLI.run(
                    process.host(),
                    process.port(),
                    GatewayExtension.TARGET,
                    token,
                    null,
                    process.certificateFile(),
                    sql));
        }
    };

    /** How the mariadb CLI prints a server error (after an echo of the statement in batch mode). */
    private static final Pattern CLI_ERROR =
            Pattern.compile("^ERROR (\\d+) \\((\\w{5})\\)(?: at line \\d+)?: (.*)$", Pattern.MULTILINE);

    /** What a run of the mariadb CLI script reported: its rows (after the header line), or the server's error. */
    public static Outcome ofMariadbCli(ClientScript.Result result) {
        if (result.exitCode() == 0) {
            return Outcome.rows(result.lines().stream()
                    .skip(1)
                    .map(line -> List.of(line.split("\t", -1)))
                    .toList());
        }
        Matcher error = CLI_ERROR.matcher(result.stderr().strip());
        if (!error.find()) {
            throw new AssertionError("the mariadb CLI failed without a server error; stderr: " + result.stderr());
        }
        return Outcome.error(Integer.parseInt(error.group(1)), error.group(2), error.group(3));
    }

    /** What came back: rows (empty for a statement without a result set), or the error. */
    public record Outcome(List<List<String>> rows, int errorCode, String sqlState, String message) {
        public static Outcome rows(List<List<String>> rows) {
            return new Outcome(rows, 0, null, null);
        }

        public static Outcome error(int code, String sqlState, String message) {
            return new Outcome(null, code, sqlState, message);
        }

        public boolean failed() {
            return rows == null;
        }

        @Override
        public String toString() {
            return failed() ? "error " + errorCode + " (" + sqlState + "): " + message : "rows " + rows;
        }
    }

    /** Logs in with {@code token}, sends {@code sql}, reports the result or the error. */
    public Outcome run(GatewayExtension gateway, String token, String sql) {
        try {
            return send(gateway, token, sql);
        } catch (SQLException e) {
            return ofJdbcError(e);
        }
    }

    /** The server's error a JDBC driver reported. */
    public static Outcome ofJdbcError(SQLException e) {
        SQLException fromServer = serverError(e);
        return Outcome.error(fromServer.getErrorCode(), fromServer.getSQLState(), fromServer.getMessage());
    }

    /**
     * The server's error inside a driver's own: MariaDB Connector/J reports a refused statement of its
     * connection setup as "Initialization command fail" (error -1, 08000) caused by the server's error.
     */
    private static SQLException serverError(SQLException error) {
        SQLException current = error;
        while (current.getErrorCode() <= 0 && current.getCause() instanceof SQLException cause) {
            current = cause;
        }
        return current;
    }

    abstract Outcome send(GatewayExtension gateway, String token, String sql) throws SQLException;
}
