package dev.agentgate.analysis;

import java.util.List;
import java.util.Optional;

/**
 * Limits on what is handed to the parser, checked on the tokens before parsing: JSqlParser's time grows with the
 * number of tokens, and steeply with nested parentheses that are not a function's argument list ({@code ((1))}: 16
 * levels parse in about 50 ms, 17 run for minutes; nested {@code IN (SELECT ...)} is as steep), so a statement beyond
 * them is reported unparsed at once, with the limit it exceeds, instead of taking a parser thread.
 */
final class StatementSize {

    static final int MAX_TOKENS = 20_000;
    static final int MAX_PLACEHOLDERS = 4_096;
    static final int MAX_NESTING = 12;

    private StatementSize() {}

    /** Why the statement is too large to parse, or empty when it is within the limits. */
    static Optional<String> excess(List<SqlToken> tokens) {
        if (tokens.size() > MAX_TOKENS) {
            return Optional.of(refusal(tokens.size() + " tokens", MAX_TOKENS + " tokens"));
        }
        int placeholders = 0;
        // the kind of each open parenthesis: a function's argument list does not count towards the nesting
        java.util.BitSet call = new java.util.BitSet();
        int open = 0;
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            switch (token.kind()) {
                case PLACEHOLDER -> placeholders++;
                case LEFT_PAREN -> {
                    boolean isCall = i > 0 && isFunctionName(tokens.get(i - 1));
                    call.set(open++, isCall);
                    depth += isCall ? 0 : 1;
                }
                case RIGHT_PAREN -> {
                    if (open > 0 && !call.get(--open)) {
                        depth--;
                    }
                }
                default -> {}
            }
            if (depth > MAX_NESTING) {
                return Optional.of(
                        refusal("parentheses nested deeper than " + MAX_NESTING + " levels", MAX_NESTING + " levels"));
            }
        }
        if (placeholders > MAX_PLACEHOLDERS) {
            return Optional.of(refusal(placeholders + " placeholders", MAX_PLACEHOLDERS + " placeholders"));
        }
        return Optional.empty();
    }

    /** An identifier that is no keyword (IN, EXISTS, AND, ... open a nesting), so its parenthesis is a call. */
    private static boolean isFunctionName(SqlToken previous) {
        return previous.kind() == SqlToken.Kind.QUOTED_IDENTIFIER
                || (previous.kind() == SqlToken.Kind.WORD && !previous.isKeyword());
    }

    private static String refusal(String found, String limit) {
        return "statement too large to analyse: " + found + " (the limit is " + limit + ")";
    }
}
