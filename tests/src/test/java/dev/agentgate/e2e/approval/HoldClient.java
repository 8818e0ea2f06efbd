package dev.agentgate.e2e.approval;

import dev.agentgate.e2e.env.ClientRoute;
import dev.agentgate.e2e.env.ClientRoute.Outcome;
import dev.agentgate.e2e.env.ClientScript;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.GatewayProcess;
import dev.agentgate.e2e.env.JdbcClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The clients a held statement is sent with, each on a fresh login as the given token, in database
 * {@value #DATABASE} (the target's default), reporting what it got back the same way. Their read time-outs: both
 * Connector/Js' {@code socketTimeout} is the suite's 120 s ({@link JdbcClient}); PyMySQL's {@code read_timeout}, the
 * mariadb CLI and mysql2's query (Node) have none by default. All are above the approval time-out these tests use.
 */
enum HoldClient {
    MARIADB_CONNECTOR_J {
        @Override
        Outcome send(GatewayProcess gateway, String token, String sql) {
            return overJdbc(JdbcClient.MARIADB_CONNECTOR_J, gateway, token, sql);
        }
    },
    MYSQL_CONNECTOR_J {
        @Override
        Outcome send(GatewayProcess gateway, String token, String sql) {
            return overJdbc(JdbcClient.CONNECTOR_J, gateway, token, sql);
        }
    },
    MARIADB_CLI {
        @Override
        Outcome send(GatewayProcess gateway, String token, String sql) {
            return ClientRoute.ofMariadbCli(ClientScript.MARIADB_CLI.run(
                    gateway.host(),
                    gateway.port(),
                    GatewayExtension.TARGET,
                    token,
                    DATABASE,
                    gateway.certificateFile(),
                    sql));
        }
    },
    PYMYSQL {
        @Override
        Outcome send(GatewayProcess gateway, String token, String sql) {
            return pyMySql(gateway, token, sql, Map.of());
        }
    },
    NODE_MYSQL2 {
        @Override
        Outcome send(GatewayProcess gateway, String token, String sql) {
            ClientScript.Result result = ClientScript.NODE_MYSQL2.run(
                    gateway.host(),
                    gateway.port(),
                    GatewayExtension.TARGET,
                    token,
                    DATABASE,
                    gateway.certificateFile(),
                    sql);
            Matcher error = MYSQL2_ERROR.matcher(result.stderr());
            if (error.find()) {
                return Outcome.error(Integer.parseInt(error.group(1)), error.group(2), error.group(3));
            }
            if (result.exitCode() != 0 || !result.stdout().startsWith("update count")) {
                throw new AssertionError("mysql2 reported neither a result nor a server error: " + result);
            }
            return Outcome.rows(List.of());
        }
    };

    static final String DATABASE = "shop";

    /** What the transcript mode of query.py prints for a server error (PyMySQL does not report the SQLSTATE). */
    private static final Pattern PYMYSQL_ERROR = Pattern.compile("^error (\\d+): (.*)$", Pattern.MULTILINE);

    /** What tests/clients/node/query.js prints to stderr for a server error. */
    private static final Pattern MYSQL2_ERROR =
            Pattern.compile("^error (\\d+) \\(([0-9A-Z]{5})\\): (.*)$", Pattern.MULTILINE);

    /** PyMySQL (tests/clients/python/query.py) with more environment, e.g. {@code AGENTGATE_READ_TIMEOUT}. */
    static Outcome pyMySql(GatewayProcess gateway, String token, String sql, Map<String, String> environment) {
        Map<String, String> all = new HashMap<>(environment);
        all.put("AGENTGATE_QUERIES", "[\"" + sql + "\"]");
        all.put("AGENTGATE_SHOW_WARNINGS", "0");
        ClientScript.Result result = ClientScript.PYTHON_PYMYSQL.run(
                gateway.host(),
                gateway.port(),
                GatewayExtension.TARGET,
                token,
                DATABASE,
                gateway.certificateFile(),
                sql,
                all);
        Matcher error = PYMYSQL_ERROR.matcher(result.stdout());
        if (error.find()) {
            return Outcome.error(Integer.parseInt(error.group(1)), null, error.group(2));
        }
        if (result.exitCode() != 0 || !result.stdout().contains("update count")) {
            throw new AssertionError("PyMySQL reported neither a result nor a server error: " + result);
        }
        return Outcome.rows(List.of());
    }

    private static Outcome overJdbc(JdbcClient driver, GatewayProcess gateway, String token, String sql) {
        try (Connection connection = driver.connect(gateway, GatewayExtension.TARGET, token);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
            return Outcome.rows(List.of());
        } catch (SQLException e) {
            return ClientRoute.ofJdbcError(e);
        }
    }

    /** The SQLSTATE this client reports for the gateway's refusals: 42000, or null for PyMySQL, which has none. */
    String accessDeniedState() {
        return this == PYMYSQL ? null : "42000";
    }

    /** Logs in with {@code token}, sends {@code sql} (no double quotes or backslashes in it), reports the outcome. */
    abstract Outcome send(GatewayProcess gateway, String token, String sql);
}
