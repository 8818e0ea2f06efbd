package dev.agentgate.e2e.screen;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.LongFunction;

/**
 * One attacker session runs statements built around a victim session's backend thread id; what came of it. Both
 * sessions are Connector/J connections (the attacker's with multi-statements on), directly to MariaDB or through a
 * gateway as two identities, so that a KILL the gateway lets through is one of another identity's session.
 *
 * @param refusal     the first error any of the statements ended with, or null
 * @param victimAlive whether the victim's connection still answers afterwards
 */
record KillAttempt(SQLException refusal, boolean victimAlive) {

    /** The attack straight against MariaDB, as the gateway's service account (what every session runs as). */
    static KillAttempt direct(LongFunction<List<String>> statements, String... attackerOptions) throws SQLException {
        MariaDbServer mariadb = MariaDbServer.shared();
        try (Connection victim = JdbcClient.CONNECTOR_J.connectDirect(mariadb);
                Connection attacker =
                        JdbcClient.CONNECTOR_J.connectDirect(mariadb, withMultiQueries(attackerOptions))) {
            return run(victim, attacker, statements);
        }
    }

    /** The attack through the gateway: victim "alice", attacker "mallory". */
    static KillAttempt throughGateway(
            GatewayExtension gateway, LongFunction<List<String>> statements, String... attackerOptions)
            throws SQLException {
        try (Connection victim = gateway.connect(JdbcClient.CONNECTOR_J, "alice");
                Connection attacker =
                        gateway.connect(JdbcClient.CONNECTOR_J, "mallory", withMultiQueries(attackerOptions))) {
            return run(victim, attacker, statements);
        }
    }

    private static KillAttempt run(Connection victim, Connection attacker, LongFunction<List<String>> statements)
            throws SQLException {
        long victimThread = Long.parseLong(Sql.scalar(victim, "SELECT CONNECTION_ID()"));
        SQLException refusal = null;
        for (String sql : statements.apply(victimThread)) {
            try (Statement statement = attacker.createStatement()) {
                statement.execute(sql);
                while (statement.getMoreResults() || statement.getUpdateCount() != -1) {
                    // drain every result of a multi-statement, so that an error of a later one is raised
                }
            } catch (SQLException e) {
                refusal = refusal == null ? e : refusal;
            }
        }
        return new KillAttempt(refusal, answers(victim));
    }

    private static boolean answers(Connection victim) {
        try {
            return "alive".equals(Sql.scalar(victim, "SELECT 'alive'"));
        } catch (SQLException e) {
            return false;
        }
    }

    private static String[] withMultiQueries(String... options) {
        String[] all = new String[options.length + 1];
        all[0] = "allowMultiQueries=true";
        System.arraycopy(options, 0, all, 1, options.length);
        return all;
    }
}
