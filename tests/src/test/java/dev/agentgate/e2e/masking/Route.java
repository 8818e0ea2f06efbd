package dev.agentgate.e2e.masking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.e2e.env.ClientScript;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.GatewayProcess;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A client and protocol the masking suites send statements with, each on a fresh login, recorded as a
 * {@link Transcript}: through the gateway with a token, or directly to MariaDB as the gateway's service user
 * (the reference for "the gateway changes nothing").
 */
enum Route {
    /** MySQL Connector/J, COM_QUERY (text rows), multi-statements allowed. */
    TEXT(JdbcClient.CONNECTOR_J, Transcript.Way.TEXT, "allowMultiQueries=true"),
    /** MariaDB Connector/J, useServerPrepStmts: COM_STMT_PREPARE/EXECUTE, binary rows. */
    SERVER_PREPARED(JdbcClient.MARIADB_CONNECTOR_J, Transcript.Way.SERVER_PREPARED, "useServerPrepStmts=true"),
    /** MySQL Connector/J, server-side prepared with a cursor, fetch size 1: rows by COM_STMT_FETCH. */
    CURSOR_FETCH(JdbcClient.CONNECTOR_J, Transcript.Way.CURSOR_FETCH, "useServerPrepStmts=true", "useCursorFetch=true"),
    /** PyMySQL (tests/clients/python/query.py in transcript mode), text protocol, multi-statements allowed. */
    PYTHON(null, null),
    /** PyMySQL too, but every statement and SHOW WARNINGS written in one go before the first answer is read. */
    PIPELINED(true);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcClient client;
    private final Transcript.Way way;
    private final String[] options;
    private final boolean pipelined;

    Route(JdbcClient client, Transcript.Way way, String... options) {
        this.client = client;
        this.way = way;
        this.options = options;
        this.pipelined = false;
    }

    Route(boolean pipelined) {
        this.client = null;
        this.way = null;
        this.options = new String[0];
        this.pipelined = pipelined;
    }

    /** Logs in to the gateway with {@code token} and runs {@code statements}, each followed by a SHOW WARNINGS. */
    Transcript throughGateway(GatewayExtension gateway, String token, List<String> statements) {
        return throughGateway(gateway, token, statements, true);
    }

    /** Logs in to the gateway with {@code token} and runs {@code statements}, with a SHOW WARNINGS after each or not. */
    Transcript throughGateway(GatewayExtension gateway, String token, List<String> statements, boolean showWarnings) {
        if (client == null) {
            GatewayProcess process = gateway.process();
            return script(ClientScript.PYTHON_PYMYSQL.run(
                    process.host(),
                    process.port(),
                    GatewayExtension.TARGET,
                    token,
                    null,
                    process.certificateFile(),
                    "",
                    queries(statements, showWarnings, pipelined)));
        }
        try (Connection connection = gateway.connectWithToken(client, token, options)) {
            return Transcript.record(connection, way, statements, showWarnings);
        } catch (SQLException e) {
            return loginFailed(e);
        }
    }

    /** Logs in to the gateway with {@code token}, prepares {@code sql} once and executes it with each parameter set. */
    Transcript executionsThroughGateway(
            GatewayExtension gateway, String token, String sql, List<List<Object>> parameterSets) {
        if (client == null || way == Transcript.Way.TEXT) {
            throw new IllegalArgumentException(this + " does not prepare statements on the server");
        }
        try (Connection connection = gateway.connectWithToken(client, token, options)) {
            return Transcript.recordExecutions(connection, way, sql, parameterSets);
        } catch (SQLException e) {
            return loginFailed(e);
        }
    }

    /**
     * Logs in to MariaDB directly as the gateway's service user, schema {@value PiiShop#NAME}, and runs
     * {@code statements}, with a SHOW WARNINGS after each or not.
     */
    Transcript direct(List<String> statements, boolean showWarnings) {
        MariaDbServer mariadb = MariaDbServer.shared();
        if (client == null) {
            return script(ClientScript.PYTHON_PYMYSQL.run(
                    mariadb.host(),
                    mariadb.port(),
                    mariadb.serviceUser(),
                    mariadb.servicePassword(),
                    PiiShop.NAME,
                    null,
                    "",
                    queries(statements, showWarnings, pipelined)));
        }
        try (Connection connection = client.connectDirectTo(mariadb, PiiShop.NAME, options)) {
            return Transcript.record(connection, way, statements, showWarnings);
        } catch (SQLException e) {
            return loginFailed(e);
        }
    }

    private static Transcript loginFailed(SQLException e) {
        Transcript transcript = new Transcript();
        transcript.add("login or connection setup failed: " + e.getErrorCode() + " (" + e.getSQLState() + "): "
                + e.getMessage() + (e.getCause() == null ? "" : " | caused by " + e.getCause()));
        return transcript;
    }

    private static Map<String, String> queries(List<String> statements, boolean showWarnings, boolean pipelined) {
        try {
            return Map.of(
                    "AGENTGATE_QUERIES",
                    JSON.writeValueAsString(statements),
                    "AGENTGATE_SHOW_WARNINGS",
                    showWarnings ? "1" : "0",
                    "AGENTGATE_PIPELINED",
                    pipelined ? "1" : "0");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Transcript script(ClientScript.Result result) {
        Transcript transcript = new Transcript();
        result.lines().forEach(transcript::add);
        if (result.exitCode() != 0 || !result.stderr().isBlank()) {
            transcript.add("exit code " + result.exitCode() + "; stderr: " + result.stderr());
        }
        return transcript;
    }
}
