package dev.agentgate.session;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code KILL [CONNECTION | QUERY] n} statement. The client only knows gateway connection ids,
 * so the gateway must recognise the statement and translate {@code n} to the backend's thread id.
 *
 * @param queryOnly true for {@code KILL QUERY}, which stops the running statement but keeps the
 *     connection
 * @param connectionId the gateway connection id named by the client
 */
public record KillRequest(boolean queryOnly, long connectionId) {

  // MySQL also accepts KILL with a trailing semicolon and any amount of white space; MariaDB adds
  // HARD/SOFT and KILL USER, which are not translated (they are refused by the gateway).
  private static final Pattern KILL =
      Pattern.compile(
          "^\\s*KILL\\s+(?:(CONNECTION|QUERY)\\s+)?(\\d{1,19})\\s*;?\\s*$",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern ANY_KILL = Pattern.compile("^\\s*KILL\\b", Pattern.CASE_INSENSITIVE);

  /** Parses a statement; empty when it is not a plain KILL of a connection id. */
  public static Optional<KillRequest> parse(String sql) {
    Matcher m = KILL.matcher(sql);
    if (!m.matches()) {
      return Optional.empty();
    }
    boolean queryOnly = m.group(1) != null && m.group(1).toUpperCase(Locale.ROOT).equals("QUERY");
    try {
      return Optional.of(new KillRequest(queryOnly, Long.parseLong(m.group(2))));
    } catch (NumberFormatException tooLarge) {
      return Optional.empty();
    }
  }

  /** True for any statement starting with KILL, including forms the gateway does not translate. */
  public static boolean looksLikeKill(String sql) {
    return ANY_KILL.matcher(sql).find();
  }

  /** The statement to run on the backend, naming the backend thread instead. */
  public String toBackendStatement(long backendThreadId) {
    return (queryOnly ? "KILL QUERY " : "KILL CONNECTION ") + backendThreadId;
  }
}
