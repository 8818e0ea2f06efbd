package dev.agentgate.e2e.policy;

import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/** What MariaDB itself says runs: information_schema.PROCESSLIST, read as admin. */
final class RunningStatements {

  private RunningStatements() {}

  /** How many statements whose text contains {@code marker} run on the server now (this query not counted). */
  static int count(String marker) throws SQLException {
    try (Connection admin = MariaDbServer.shared().connectAsAdmin()) {
      return Integer.parseInt(Sql.scalar(admin, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%"
          + marker + "%' AND INFO NOT LIKE '%PROCESSLIST%'"));
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
