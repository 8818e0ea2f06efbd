package dev.agentgate.analysis;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What decides how the server cuts a session's SQL into tokens: the server's version (versioned comments), the
 * {@code sql_mode} flags that change tokens, and {@code character_set_client}. Immutable; a session gets a new one
 * when the server reports a change. A mode the gateway does not follow exactly ({@link #unreadableReason()}) makes
 * every statement unreadable, so it is refused rather than guessed at.
 *
 * @param serverVersion     the server's {@code MYSQL_VERSION_ID} (10.11.14 is 101114); {@link #ANY_VERSION} when
 *                          unknown to a caller without a session (every versioned comment then counts as executed)
 * @param mariaDb           whether the server is MariaDB, whose rules for versioned comments the lexer implements
 * @param sqlMode           the upper-case flags of {@code @@sql_mode} as the server reports them (expanded)
 * @param characterSet      {@code character_set_client}, lower case (e.g. {@code utf8mb4})
 * @param untrackedReason   null while the gateway follows the session's changes, else why it cannot
 */
public record LexingMode(
        long serverVersion, boolean mariaDb, Set<String> sqlMode, String characterSet, String untrackedReason) {

    /** A server version above every real one: every numbered versioned comment is executed. */
    public static final long ANY_VERSION = Long.MAX_VALUE;

    /** No session: MariaDB's default lexing, every versioned comment executed, utf8mb4. */
    public static final LexingMode DEFAULT = new LexingMode(ANY_VERSION, true, Set.of(), "utf8mb4", null);

    /** sql_mode flags that give MariaDB another lexer or grammar the gateway does not implement. */
    private static final Set<String> UNSUPPORTED_MODES = Set.of("ORACLE", "MSSQL");

    private static final Pattern VERSION = Pattern.compile("^(?:5\\.5\\.5-)?(\\d{1,2})\\.(\\d{1,2})\\.(\\d{1,2})");

    public LexingMode {
        sqlMode = Set.copyOf(sqlMode);
        characterSet = characterSet.toLowerCase(Locale.ROOT);
    }

    /**
     * The mode of a new session, from the server's greeting and the collation the client chose.
     *
     * @param serverVersion as the greeting announces it, e.g. {@code 5.5.5-10.11.14-MariaDB-0+deb12u2}
     */
    public static LexingMode atLogin(String serverVersion, int collationId) {
        Matcher version = VERSION.matcher(serverVersion == null ? "" : serverVersion);
        boolean mariaDb = serverVersion != null && serverVersion.contains("MariaDB");
        long id = version.find()
                ? Long.parseLong(version.group(1)) * 10000
                        + Long.parseLong(version.group(2)) * 100
                        + Long.parseLong(version.group(3))
                : 0;
        return new LexingMode(id, mariaDb, Set.of(), Collations.characterSet(collationId), null);
    }

    /** The system variables the gateway has the server track for it; their changes decide how SQL is read. */
    public static final List<String> TRACKED_VARIABLES =
            List.of("sql_mode", "character_set_client", "session_track_system_variables");

    /**
     * This mode after the server reported new values of tracked variables (from an OK packet's session state).
     * A tracking list that no longer covers {@link #TRACKED_VARIABLES} leaves the gateway blind: untracked.
     */
    public LexingMode afterReport(Map<String, String> variables) {
        LexingMode mode = this;
        if (variables.containsKey("sql_mode")) {
            mode = mode.withSqlMode(variables.get("sql_mode"));
        }
        if (variables.containsKey("character_set_client")) {
            mode = mode.withCharacterSet(variables.get("character_set_client"));
        }
        String tracking = variables.get("session_track_system_variables");
        if (tracking != null) {
            Set<String> tracked =
                    Set.of(tracking.toLowerCase(Locale.ROOT).replace(" ", "").split(","));
            if (!tracked.contains("*") && !tracked.containsAll(TRACKED_VARIABLES)) {
                mode = mode.untracked(
                        "the session no longer reports changes of " + String.join(", ", TRACKED_VARIABLES));
            }
        }
        return mode;
    }

    /** The mode right after login, from what the server reported (both sql_mode and the character set, or untracked). */
    public LexingMode afterLoginReport(Map<String, String> variables) {
        if (!variables.containsKey("sql_mode") || !variables.containsKey("character_set_client")) {
            return untracked("the target does not report its sql_mode and character set (session tracking)");
        }
        return afterReport(variables);
    }

    /**
     * The mode after the backend session was reset (COM_RESET_CONNECTION) and tracked again: nothing of the mode
     * before the reset counts, untracked or not; as at login, both variables must have been reported.
     */
    public LexingMode afterReset(Map<String, String> variables) {
        return new LexingMode(serverVersion, mariaDb, Set.of(), characterSet, null).afterLoginReport(variables);
    }

    public LexingMode withSqlMode(String value) {
        Set<String> flags = value == null || value.isBlank()
                ? Set.of()
                : Set.of(value.toUpperCase(Locale.ROOT).replace(" ", "").split(","));
        return new LexingMode(serverVersion, mariaDb, flags, characterSet, untrackedReason);
    }

    public LexingMode withCharacterSet(String value) {
        return new LexingMode(serverVersion, mariaDb, sqlMode, value, untrackedReason);
    }

    /** The gateway can no longer follow this session's changes (say why, for the refusal). */
    public LexingMode untracked(String reason) {
        return new LexingMode(serverVersion, mariaDb, sqlMode, characterSet, reason);
    }

    public boolean ansiQuotes() {
        return sqlMode.contains("ANSI_QUOTES");
    }

    /** Whether spaces may come between a built-in function's name and its parenthesis ({@link SpaceSensitiveFunctions}). */
    public boolean ignoreSpace() {
        return sqlMode.contains("IGNORE_SPACE");
    }

    public boolean noBackslashEscapes() {
        return sqlMode.contains("NO_BACKSLASH_ESCAPES");
    }

    /** Whether a statement lexed in this mode is read as in {@link #DEFAULT}, but for versioned comments. */
    boolean quotesAsDefault() {
        return !ansiQuotes() && !noBackslashEscapes();
    }

    /** Why no statement of this session can be read exactly, or null when they can. */
    public String unreadableReason() {
        if (untrackedReason != null) {
            return untrackedReason;
        }
        for (String flag : UNSUPPORTED_MODES) {
            if (sqlMode.contains(flag)) {
                return "sql_mode " + flag + " is not supported";
            }
        }
        return null;
    }

    /** Whether the text is decoded exactly as the server reads it in this character set (the gateway decodes UTF-8). */
    String unreadableText(String sql) {
        boolean utf8 = Collations.isUtf8(characterSet);
        boolean supplementaryAllowed = characterSet.equals("utf8mb4");
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (!utf8) {
                return "the session's character set " + characterSet + " is read only for ASCII text";
            }
            if (c == '\uFFFD') {
                return "the text is not valid " + characterSet;
            }
            if (Character.isSurrogate(c) && !supplementaryAllowed) {
                return "characters beyond U+FFFF are not valid " + characterSet;
            }
        }
        return null;
    }
}
