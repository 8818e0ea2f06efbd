package dev.agentgate.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The duration notation of the config file: a whole number and a unit, e.g. "250ms", "10s", "5m", "8h", "1d". */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private Durations() {}

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the accepted notation when {@code text} is not one
     */
    public static Duration parse(String text) {
        Matcher matcher = DURATION.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("must be a duration like 250ms, 10s, 5m, 8h or 1d, was '" + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** The shortest notation {@link #parse} reads back to {@code duration} (sub-millisecond parts are dropped). */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        long[] unitMillis = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (millis != 0 && millis % unitMillis[i] == 0) {
                return millis / unitMillis[i] + units[i];
            }
        }
        return millis + "ms";
    }
}
