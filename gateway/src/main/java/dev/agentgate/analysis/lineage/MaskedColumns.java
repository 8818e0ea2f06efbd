package dev.agentgate.analysis.lineage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The source columns a mask rule names: patterns {@code schema.table.column} in which each part may contain
 * {@code *} wildcards ({@code shop.customers.*}, {@code *.*.ssn}, {@code shop.cust*.e*}). Matching ignores case,
 * as MySQL does for column names (and for table names on case-insensitive file systems: masking errs on the
 * side of matching).
 */
public final class MaskedColumns {

    /** No column is masked. */
    public static final MaskedColumns NONE = new MaskedColumns(List.of(), List.of());

    /**
     * A policy names the same few patterns in every decision; compiling them is a good part of tracing a statement's
     * lineage, so compiled ones are kept (bounded: patterns come from the policy, not from clients).
     */
    private static final Cache<String, Pattern> COMPILED =
            Caffeine.newBuilder().maximumSize(4096).executor(Runnable::run).build();

    private final List<String> patterns;
    private final List<Pattern> compiled;

    private MaskedColumns(List<String> patterns, List<Pattern> compiled) {
        this.patterns = patterns;
        this.compiled = compiled;
    }

    public static MaskedColumns of(Collection<String> patterns) {
        Objects.requireNonNull(patterns, "masked column patterns must not be null");
        return new MaskedColumns(
                List.copyOf(patterns),
                patterns.stream()
                        .map(pattern -> COMPILED.get(
                                Objects.requireNonNull(pattern, "masked column pattern must not be null"),
                                MaskedColumns::compile))
                        .toList());
    }

    public static MaskedColumns of(String... patterns) {
        return of(List.of(patterns));
    }

    private static Pattern compile(String pattern) {
        Objects.requireNonNull(pattern, "masked column pattern must not be null");
        String[] parts = pattern.split("\\.", -1);
        if (parts.length != 3 || java.util.Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException(
                    "masked column pattern must be schema.table.column (with * wildcards), was '" + pattern + "'");
        }
        StringBuilder regex = new StringBuilder();
        for (String part : parts) {
            regex.append(regex.length() == 0 ? "" : "\\.").append(globPart(part));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    private static String globPart(String part) {
        return java.util.Arrays.stream(part.split("\\*", -1))
                .map(Pattern::quote)
                .collect(java.util.stream.Collectors.joining("[^.]*"));
    }

    public boolean isEmpty() {
        return compiled.isEmpty();
    }

    public List<String> patterns() {
        return patterns;
    }

    public boolean matches(SourceColumn column) {
        String name = column.qualifiedName();
        return compiled.stream().anyMatch(pattern -> pattern.matcher(name).matches());
    }

    /** Whether a value may carry a masked column: one of its sources is masked, or its lineage is unknown. */
    public boolean carries(ColumnSources sources) {
        return !isEmpty() && (sources.unknown() || sources.columns().stream().anyMatch(this::matches));
    }

    /** Whether {@code name} is the column part of a pattern without wildcards there (e.g. ssn of *.*.ssn). */
    boolean isLiteralColumnName(String name) {
        return patterns.stream()
                .map(pattern -> pattern.substring(pattern.lastIndexOf('.') + 1))
                .anyMatch(column -> !column.contains("*") && column.equalsIgnoreCase(name));
    }

    /**
     * The patterns whose table part and column part both match some of {@code identifiers} (a table part of
     * only {@code *} matches any), for statements seen only as tokens (stored program bodies).
     */
    List<String> patternsNamedBy(List<String> identifiers) {
        return patterns.stream()
                .filter(pattern -> {
                    String[] parts = pattern.split("\\.", -1);
                    return ("*".equals(parts[1]) || identifiers.stream().anyMatch(matcher(parts[1])))
                            && identifiers.stream().anyMatch(matcher(parts[2]));
                })
                .toList();
    }

    private static java.util.function.Predicate<String> matcher(String glob) {
        Pattern pattern = Pattern.compile(globPart(glob), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return identifier -> pattern.matcher(identifier).matches();
    }

    @Override
    public String toString() {
        return patterns.toString().toLowerCase(Locale.ROOT);
    }
}
