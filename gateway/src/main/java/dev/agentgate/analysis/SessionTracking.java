package dev.agentgate.analysis;

import java.util.Locale;

/**
 * The server-side session tracking the gateway relies on to follow how the server reads SQL ({@link LexingMode}):
 * the list of tracked system variables must always hold {@link LexingMode#TRACKED_VARIABLES}. Drivers set that list
 * themselves (MariaDB Connector/J to the global list plus {@code tx_isolation}); such a SET, sent on its own, gets
 * {@link #KEEP_TRACKED} appended, so the list the server ends up with still covers what the gateway needs.
 */
public final class SessionTracking {

    /** Appends the gateway's variables to the session's tracking list; the list itself is tracked too. */
    public static final String KEEP_TRACKED = "session_track_system_variables = CONCAT_WS(',', "
            + "NULLIF(@@session_track_system_variables, ''), 'sql_mode', 'character_set_client', 'session_track_system_variables')";

    /**
     * Run once the backend session is new (logged in, or reset by COM_RESET_CONNECTION, which gives every variable
     * back its global value, the tracking list among them): the server then reports every change of what decides how
     * it reads SQL (sql_mode, character_set_client) and of the tracking itself, and reports their current values right
     * away (assigning a variable reports it, even to the same value).
     */
    public static final String ESTABLISH =
            "SET " + KEEP_TRACKED + ", sql_mode = @@sql_mode, character_set_client = @@character_set_client";

    private SessionTracking() {}

    /** Whether {@code statement} is a plain SET that assigns the tracking list, to which {@link #KEEP_TRACKED} can be appended. */
    public static boolean setsTrackingList(StatementFacts statement) {
        return statement.type() == StatementType.SET
                && statement.parsed()
                && namesTrackingList(statement.sql())
                && !statement.sql().regionMatches(true, 0, "SET STATEMENT", 0, 13);
    }

    /** {@code sql}, then the assignment that keeps the gateway's variables tracked (after a newline: a comment ends there). */
    public static String keepingTracked(String sql) {
        return sql + "\n, " + KEEP_TRACKED;
    }

    static boolean namesTrackingList(String text) {
        return text.toLowerCase(Locale.ROOT).contains("session_track_system_variables");
    }
}
