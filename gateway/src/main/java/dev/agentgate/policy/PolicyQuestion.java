package dev.agentgate.policy;

import java.util.Map;
import java.util.Objects;

/**
 * One client command to be decided: the {@code command} object of the policy input and, for
 * commands that carry SQL, the SQL text (analysed into one decision per statement).
 *
 * @param command {@code type} plus command-specific fields, as in docs/policy.md
 * @param sql the SQL of a query or prepare, else null
 */
public record PolicyQuestion(Map<String, Object> command, String sql) {

  public PolicyQuestion {
    command = Map.copyOf(command);
    if (!command.containsKey("type")) {
      throw new IllegalArgumentException("command must have a type, was " + command);
    }
  }

  public static PolicyQuestion query(String sql) {
    return new PolicyQuestion(Map.of("type", "query"), Objects.requireNonNull(sql, "sql"));
  }

  public static PolicyQuestion prepare(String sql) {
    return new PolicyQuestion(Map.of("type", "prepare"), Objects.requireNonNull(sql, "sql"));
  }

  public static PolicyQuestion initDb(String schema) {
    return new PolicyQuestion(Map.of("type", "init_db", "schema", schema), null);
  }

  public static PolicyQuestion fieldList(String schema, String table) {
    return schema == null
        ? new PolicyQuestion(Map.of("type", "field_list", "table", table), null)
        : new PolicyQuestion(Map.of("type", "field_list", "schema", schema, "table", table), null);
  }

  public String type() {
    return (String) command.get("type");
  }
}
