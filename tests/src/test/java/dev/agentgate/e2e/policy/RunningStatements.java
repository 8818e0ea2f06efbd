package dev.agentgate.e2e.policy;

import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/** What MariaDB itself says runs: information_schema.PROCESSLIST, read as admin. */
final class RunningStatements {

    private RunningStatements() {}

    /**
     * Holds a row lock as admin (an open transaction) until closed: a statement of the gateway's that waits for it
     * runs until killed or for innodb_lock_wait_timeout (50 s), at no CPU cost, and, unlike SLEEP (which checks
     * every 5 s whether its client is still connected), never notices by itself that its client is gone.
     */
    static AutoCloseable lockedRow() throws SQLException {
        MariaDbServer.shared()
                .execute(
                        "CREATE TABLE IF NOT EXISTS agentgate_test.locked (id INT PRIMARY KEY)",
                        "INSERT IGNORE INTO agentgate_test.locked VALUES (1)");
        Connection admin = MariaDbServer.shared().connectAsAdmin();
        admin.setAutoCommit(false);
        Sql.rows(admin, "SELECT id FROM agentgate_test.locked WHERE id = 1 FOR UPDATE");
        return admin::close;
    }

    /** A statement that waits for {@link #lockedRow()}; {@code marker} names it in the process list. */
    static String waitingForTheLock(String marker) {
        return "SELECT id FROM agentgate_test.locked WHERE id = 1 FOR UPDATE /* " + marker + " */";
    }

    /** How many statements whose text contains {@code marker} run on the server now (this query not counted). */
    static int count(String marker) throws SQLException {
        try (Connection admin = MariaDbServer.shared().connectAsAdmin()) {
            return Integer.parseInt(Sql.scalar(
                    admin,
                    "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%" + marker
                            + "%' AND INFO NOT LIKE '%PROCESSLIST%'"));
        }
    }

    /** Waits until such a statement runs; false when none did within {@code limit}. */
    static boolean awaitRunning(String marker, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (count(marker) > 0) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Waits until no such statement runs; false when one still did after {@code limit}. */
    static boolean awaitGone(String marker, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (count(marker) == 0) {
                return true;
            }
            Thread.sleep(50);
        }
        return count(marker) == 0;
    }
}
