package dev.agentgate.analysis.lineage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.agentgate.analysis.ParsedStatement;
import dev.agentgate.analysis.StatementAnalyzer;
import java.util.List;
import java.util.Optional;

/**
 * Parsed view definitions, cached by their text: a view is read by many statements and parsing is the
 * dominant cost. Keyed by the definition itself, so a changed view is parsed anew. The trees are only read.
 */
final class ViewDefinitions {

    private static final int MAX_VIEWS = 2_000;

    private final StatementAnalyzer parser;
    private final Cache<String, ParsedStatement> parsed =
            Caffeine.newBuilder().maximumSize(MAX_VIEWS).build();

    ViewDefinitions(StatementAnalyzer parser) {
        this.parser = parser;
    }

    /** The definition's single parsed statement, or empty when it is not exactly one parsed statement. */
    Optional<ParsedStatement> parse(String definition) {
        // a failure (say a parse timeout under load) is not cached: the next statement tries again
        return Optional.ofNullable(parsed.get(definition, text -> {
            List<ParsedStatement> statements = parser.parse(text);
            return statements.size() == 1 && statements.get(0).parsed() ? statements.get(0) : null;
        }));
    }
}
