package dev.agentgate.review;

import dev.agentgate.recording.RecordedSession;
import dev.agentgate.recording.SessionIndex;
import dev.agentgate.recording.SessionSummary;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which recorded sessions to list: by subject, target, start time and by an action the policy took in them. Read
 * from the sessions API's query, the page's form and {@code policy whatif --sessions}; null fields match all.
 *
 * @param since sessions started at or after this
 * @param until sessions started before this (the next page of a listing: {@code until} = the last one's start)
 * @param action sessions with at least one statement the policy answered so ({@code deny}, {@code mask}, ...)
 * @param limit at most this many, 1 to {@value #MAX_LIMIT}
 */
public record SessionFilter(String subject, String target, Instant since, Instant until, String action, int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    public static final SessionFilter ALL = new SessionFilter(null, null, null, null, null, MAX_LIMIT);

    private static final Set<String> KEYS = Set.of("subject", "target", "since", "until", "action", "limit");

    /**
     * The filter {@code fields} describe.
     *
     * @throws IllegalArgumentException naming the field that is not understood
     */
    public static SessionFilter of(Map<String, String> fields) {
        for (String key : fields.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown filter '" + key + "'; use subject, target, since, until, action or limit");
            }
        }
        return new SessionFilter(
                blankToNull(fields.get("subject")),
                blankToNull(fields.get("target")),
                time("since", fields.get("since")),
                time("until", fields.get("until")),
                blankToNull(fields.get("action")),
                limit(fields.get("limit")));
    }

    /** The index query that finds this filter's candidates (at most {@code scanned} of them, newest first). */
    public SessionIndex.Query indexQuery(int scanned) {
        return new SessionIndex.Query(subject, target, since, scanned);
    }

    /** Whether the index's summary of a session passes the filters the index does not apply itself. */
    public boolean admits(SessionSummary session) {
        return until == null
                || (session.startedAt() != null && session.startedAt().isBefore(until));
    }

    /** Whether the recording has a statement with the filter's action (always, without one). */
    public boolean admits(RecordedSession session) {
        return action == null || session.statements().stream().anyMatch(statement -> action.equals(statement.action()));
    }

    /**
     * A time: an ISO instant ({@code 2026-01-31T12:00:00Z}) or an age before now ({@code 30m}, {@code 2h},
     * {@code 7d}); null for none.
     */
    public static Instant time(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            Duration age = age(text.strip());
            if (age == null) {
                throw new IllegalArgumentException(
                        field + " must be an ISO instant (2026-01-31T12:00:00Z) or an age such as 30m, 2h, 7d; was '"
                                + text + "'");
            }
            return Instant.now().minus(age);
        }
    }

    private static Duration age(String text) {
        if (!text.matches("[0-9]{1,9}[mhd]")) {
            return null;
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", was '" + text + "'");
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** The fields of a filter written {@code subject=agent-7,target=appdb,action=deny}. */
    public static Map<String, String> fieldsOf(String commaSeparated) {
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String pair : List.of(commaSeparated.split(","))) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a filter is key=value[,key=value...]; '" + pair + "' is not");
            }
            fields.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return fields;
    }
}
