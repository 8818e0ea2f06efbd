package dev.agentgate.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds dynamic SQL in a statement: {@code PREPARE name FROM <text>} and {@code EXECUTE IMMEDIATE <text>}, at the
 * top level or inside a stored program's body. The gateway can judge such a statement only by the text it runs, so
 * that text must be one plain string literal it reads as the server does: {@code 'KI' 'LL 5'} (adjacent literals),
 * {@code @q}, {@code CONCAT(...)}, {@code 0x4B494C4C}, {@code _latin1'...'} or a subquery all build text the gateway
 * never sees, and are {@link Found#hidden() hidden}.
 */
final class DynamicSql {

    /**
     * @param texts  the unescaped text of each dynamic statement written as a plain literal
     * @param hidden a description of the first dynamic statement whose text is not a plain literal, or null
     */
    record Found(List<String> texts, String hidden) {}

    private DynamicSql() {}

    static Found in(List<SqlToken> tokens, LexingMode lexing) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            int operand = operandAt(tokens, i);
            if (operand < 0) {
                continue;
            }
            Optional<String> text = plainLiteral(tokens, operand, lexing);
            if (text.isEmpty()) {
                return new Found(texts, describe(tokens, i, operand));
            }
            texts.add(text.get());
        }
        return new Found(texts, null);
    }

    /** The index of the text operand when a dynamic statement starts at {@code i}, else -1. */
    private static int operandAt(List<SqlToken> tokens, int i) {
        SqlToken token = tokens.get(i);
        if (i > 0 && tokens.get(i - 1).kind() == SqlToken.Kind.DOT) {
            return -1; // a column named like the keyword, t.prepare
        }
        if (token.isWord("EXECUTE")
                && i + 1 < tokens.size()
                && tokens.get(i + 1).isWord("IMMEDIATE")) {
            return i + 2;
        }
        if (token.isWord("PREPARE")
                && i + 2 < tokens.size()
                && tokens.get(i + 1).isIdentifier()
                && tokens.get(i + 2).isWord("FROM")) {
            return i + 3;
        }
        return -1;
    }

    /** The operand's text when it is one plain '...' literal ending the statement (or before USING / ;). */
    private static Optional<String> plainLiteral(List<SqlToken> tokens, int operand, LexingMode lexing) {
        if (operand >= tokens.size() || tokens.get(operand).kind() != SqlToken.Kind.STRING) {
            return Optional.empty();
        }
        if (operand + 1 < tokens.size()) {
            SqlToken next = tokens.get(operand + 1);
            if (next.kind() != SqlToken.Kind.SEMICOLON && !next.isWord("USING")) {
                return Optional.empty();
            }
        }
        return PreparedText.plainLiteral(tokens.get(operand), lexing);
    }

    private static String describe(List<SqlToken> tokens, int start, int operand) {
        String statement = tokens.get(start).isWord("EXECUTE") ? "EXECUTE IMMEDIATE" : "PREPARE ... FROM";
        String what = operand >= tokens.size() ? "nothing" : describeOperand(tokens.get(operand));
        return statement + " with " + what;
    }

    private static String describeOperand(SqlToken operand) {
        return switch (operand.kind()) {
            case USER_VARIABLE -> "a user variable";
            case SYSTEM_VARIABLE -> "a system variable";
            case HEX_OR_BIT -> "a hex or bit literal";
            case STRING -> "a string that is not one plain literal (an introducer, N'...', or literals run together)";
            case QUOTED_IDENTIFIER, WORD -> "an expression or identifier";
            default -> "an expression";
        };
    }
}
