package dev.agentgate.analysis;

import java.util.List;
import java.util.Optional;

/**
 * The SQL text of {@code PREPARE name FROM 'text'}, so the policy can judge what will be prepared. When the
 * text comes from a user variable ({@code FROM @sql}) it is unknown until run time.
 */
final class PreparedText {

    private PreparedText() {}

    /** The unescaped text of the string literal after FROM, or empty when there is none. */
    static Optional<String> of(List<SqlToken> tokens) {
        return of(tokens, LexingMode.DEFAULT);
    }

    /** As {@link #of(List)}, the literal unescaped as the session's server reads it (NO_BACKSLASH_ESCAPES). */
    static Optional<String> of(List<SqlToken> tokens, LexingMode lexing) {
        if (tokens.size() != 4 || !tokens.get(2).isWord("FROM") || tokens.get(3).kind() != SqlToken.Kind.STRING) {
            return Optional.empty();
        }
        String literal = tokens.get(3).text();
        int open = openingQuote(literal);
        if (open < 0 || literal.length() < open + 2) {
            return Optional.empty();
        }
        return Optional.of(unescape(literal.substring(open + 1, literal.length() - 1), literal.charAt(open), lexing));
    }

    /**
     * The text of a string literal written without introducer or prefix ({@code 'text'}, or {@code "text"} where
     * that is a string): what the server reads, in the session's character set. Empty for any other form.
     */
    static Optional<String> plainLiteral(SqlToken token, LexingMode lexing) {
        String literal = token.text();
        if (token.kind() != SqlToken.Kind.STRING
                || literal.length() < 2
                || openingQuote(literal) != 0
                || literal.charAt(literal.length() - 1) != literal.charAt(0)) {
            return Optional.empty();
        }
        return Optional.of(unescape(literal.substring(1, literal.length() - 1), literal.charAt(0), lexing));
    }

    /** The first quote of a literal: an introducer or N prefix holds none, the body may hold the other quote. */
    private static int openingQuote(String literal) {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '\'' || c == '"') {
                return i;
            }
        }
        return -1;
    }

    /** MariaDB's string escapes: doubled quotes and (unless NO_BACKSLASH_ESCAPES) backslash sequences; {@code \%} and {@code \_} keep their backslash (LIKE patterns). */
    static String unescape(String body, char quote) {
        return unescape(body, quote, LexingMode.DEFAULT);
    }

    /** As {@link #unescape(String, char)}, in the session's sql_mode. */
    static String unescape(String body, char quote, LexingMode lexing) {
        boolean backslashEscapes = !lexing.noBackslashEscapes();
        StringBuilder text = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && backslashEscapes && i + 1 < body.length()) {
                char escaped = body.charAt(++i);
                if (escaped == '%' || escaped == '_') {
                    text.append('\\');
                }
                text.append(
                        switch (escaped) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            case '0' -> '\0';
                            case 'Z' -> '\u001A';
                            case 'b' -> '\b';
                            default -> escaped;
                        });
            } else if (c == quote && i + 1 < body.length() && body.charAt(i + 1) == quote) {
                text.append(quote);
                i++;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
