package dev.agentgate.analysis;

import java.util.List;
import java.util.Set;

/**
 * The shape of a statement: its digest text, except that a literal is replaced by its kind only where its value
 * cannot change what the statement reads or how (after a comparison or arithmetic operator, LIKE, BETWEEN, AND,
 * LIMIT, in an IN list), and is kept as written everywhere else. Statements of one shape have the same facts and
 * the same column lineage but for their text: {@code ORDER BY 2} (a column position) differs from {@code ORDER BY
 * 3}, {@code +4} from {@code +5} (MariaDB reads {@code ORDER BY +4} as a position too), {@code ssn = 5} (converts
 * ssn to a number) from {@code ssn = '5'}, {@code 5} from {@code 5.0} and {@code 5e0}, {@code X'41'} from {@code
 * 'A'} and {@code _latin1'A'} from {@code 'A'}; EXECUTE IMMEDIATE's text and aliases are kept.
 */
final class StatementShape {

    /** Words after which a literal is an operand whose value the analysis never reads. */
    private static final Set<String> OPERAND_WORDS =
            Set.of("LIKE", "BETWEEN", "AND", "OR", "XOR", "NOT", "LIMIT", "OFFSET", "REGEXP", "RLIKE", "DIV", "MOD");

    private static final int LONGEST_PLAIN_INTEGER = 18;

    /**
     * @param text the shape text
     * @param plainLiterals every literal it abstracts is a plain one (no backslash or quote inside a string): only a
     *     statement like that may stand for all statements of its shape, as its parse cannot depend on how a
     *     parser reads escapes
     */
    record Shape(String text, boolean plainLiterals) {}

    private StatementShape() {}

    static Shape of(List<SqlToken> tokens) {
        StringBuilder shape = new StringBuilder(tokens.size() * 8);
        boolean plain = true;
        SqlToken previous = null;
        SqlToken beforePrevious = null;
        int inListEnd = -1;
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            if (token.kind() == SqlToken.Kind.COMMENT) {
                continue;
            }
            if (previous != null && previous.isWord("IN") && token.kind() == SqlToken.Kind.LEFT_PAREN) {
                int close = StatementDigest.endOfLiteralGroup(tokens, i + 1);
                inListEnd = close < 0 ? -1 : close;
            }
            if (shape.length() > 0) {
                shape.append(' ');
            }
            if (token.isLiteral() && (i < inListEnd || isOperand(previous, beforePrevious))) {
                shape.append(kind(token));
                plain &= !token.kind().equals(SqlToken.Kind.STRING) || isPlainString(token.text());
            } else if (token.isLiteral()) {
                token.appendTo(shape, false);
            } else {
                StatementDigest.render(shape, token, previous, next(tokens, i));
            }
            beforePrevious = previous;
            previous = token;
        }
        return new Shape(shape.toString(), plain);
    }

    private static SqlToken next(List<SqlToken> tokens, int i) {
        for (int j = i + 1; j < tokens.size(); j++) {
            if (tokens.get(j).kind() != SqlToken.Kind.COMMENT) {
                return tokens.get(j);
            }
        }
        return null;
    }

    /** A sign right after a keyword, a comma or a parenthesis is unary: {@code BY +4} is still a position. */
    private static boolean isOperand(SqlToken previous, SqlToken beforePrevious) {
        if (previous == null) {
            return false;
        }
        if (previous.kind() == SqlToken.Kind.WORD) {
            return OPERAND_WORDS.stream().anyMatch(previous::isWord);
        }
        if (previous.kind() != SqlToken.Kind.OPERATOR) {
            return false;
        }
        boolean sign = previous.is('+') || previous.is('-') || previous.is('~') || previous.is('!');
        return !sign || isOperandEnd(beforePrevious);
    }

    /** Whether the token can end an operand, making the operator after it binary. */
    private static boolean isOperandEnd(SqlToken token) {
        return token != null
                && (token.kind() == SqlToken.Kind.RIGHT_PAREN
                        || token.isLiteral()
                        || token.kind() == SqlToken.Kind.QUOTED_IDENTIFIER
                        || token.kind() == SqlToken.Kind.USER_VARIABLE
                        || token.kind() == SqlToken.Kind.SYSTEM_VARIABLE
                        || token.kind() == SqlToken.Kind.PLACEHOLDER
                        || token.kind() == SqlToken.Kind.WORD && !token.isKeyword());
    }

    /** The kind of a literal: string (with its introducer), integer, decimal, float, hex or bit. */
    private static String kind(SqlToken literal) {
        String text = literal.text();
        return switch (literal.kind()) {
            case STRING -> "?s" + introducer(text);
            case HEX_OR_BIT ->
                text.toLowerCase(java.util.Locale.ROOT).startsWith("b")
                                || text.toLowerCase(java.util.Locale.ROOT).startsWith("0b")
                        ? "?b"
                        : "?x";
            default -> number(text);
        };
    }

    private static String number(String text) {
        if (text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
            return "?e";
        }
        if (text.indexOf('.') >= 0) {
            return "?d";
        }
        return text.length() <= LONGEST_PLAIN_INTEGER ? "?i" : text;
    }

    /** What comes before the opening quote: N, or a charset such as _latin1 (which decides the collation). */
    private static String introducer(String text) {
        int quote = 0;
        while (quote < text.length() && text.charAt(quote) != '\'' && text.charAt(quote) != '"') {
            quote++;
        }
        return text.substring(0, quote).toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean isPlainString(String text) {
        int open = introducer(text).length();
        for (int i = open + 1; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '\'' || c == '"') {
                return false;
            }
        }
        return true;
    }
}
