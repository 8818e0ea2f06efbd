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
        if (tokens.size() != 4 || !tokens.get(2).isWord("FROM") || tokens.get(3).kind() != SqlToken.Kind.STRING) {
            return Optional.empty();
        }
        String literal = tokens.get(3).text();
        int open = Math.max(literal.indexOf('\''), literal.indexOf('"'));
        if (open < 0 || literal.length() < open + 2) {
            return Optional.empty();
        }
        return Optional.of(unescape(literal.substring(open + 1, literal.length() - 1), literal.charAt(open)));
    }

    /** MariaDB's string escapes: doubled quotes and backslash sequences; {@code \%} and {@code \_} keep their backslash (LIKE patterns). */
    static String unescape(String body, char quote) {
        StringBuilder text = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
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
