package dev.agentgate.analysis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * MySQL-like statement digest text, computed from tokens only (so it exists for unparseable SQL too):
 * comments dropped, literals and placeholders become {@code ?}, a list of only literals in {@code IN (...)} or
 * in the rows of {@code VALUES} collapses to {@code (...)}, keywords and function names upper-case, other
 * identifiers backticked, tokens joined by one space.
 */
final class StatementDigest {

    /** One per thread: looking the algorithm up costs more than hashing a digest text. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(StatementDigest::sha256);

    private StatementDigest() {}

    static String text(List<SqlToken> tokens) {
        StringBuilder digest = new StringBuilder(tokens.size() * 8);
        SqlToken previous = null;
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            if (previous != null && (previous.isWord("IN") || previous.isWord("VALUES") || previous.isWord("VALUE"))) {
                int end = endOfLiteralRows(tokens, i, previous.isWord("IN") ? 1 : Integer.MAX_VALUE);
                if (end > i) {
                    separate(digest).append("(...)");
                    previous = tokens.get(end - 1);
                    i = end - 1;
                    continue;
                }
            }
            if (isSignOfNumber(tokens, i, previous)) {
                continue; // -1 and 1 have the same digest, as in MySQL
            }
            render(separate(digest), token, previous, i + 1 < tokens.size() ? tokens.get(i + 1) : null);
            previous = token;
        }
        return digest.toString();
    }

    static String hash(String digestText) {
        return HexFormat.of().formatHex(SHA_256.get().digest(digestText.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    /**
     * If {@code tokens[from..]} is up to {@code maxRows} comma-separated parenthesised groups of only literals,
     * returns the index after the last group, else {@code from}.
     */
    private static int endOfLiteralRows(List<SqlToken> tokens, int from, int maxRows) {
        int i = from;
        int rows = 0;
        int end = from;
        while (rows < maxRows && i < tokens.size() && tokens.get(i).kind() == SqlToken.Kind.LEFT_PAREN) {
            int close = endOfLiteralGroup(tokens, i + 1);
            if (close < 0) {
                break;
            }
            rows++;
            end = close + 1;
            boolean more = end + 1 < tokens.size()
                    && tokens.get(end).kind() == SqlToken.Kind.COMMA
                    && tokens.get(end + 1).kind() == SqlToken.Kind.LEFT_PAREN;
            if (!more) {
                break;
            }
            i = end + 1;
        }
        return end;
    }

    /** Index of the closing parenthesis when the group holds only literals (signed or not) and commas, else -1. */
    static int endOfLiteralGroup(List<SqlToken> tokens, int from) {
        boolean expectValue = true;
        for (int i = from; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            if (token.kind() == SqlToken.Kind.RIGHT_PAREN) {
                return expectValue ? -1 : i;
            }
            if (expectValue && isValue(token)) {
                expectValue = false;
            } else if (expectValue && isSign(token)) {
                continue;
            } else if (!expectValue && token.kind() == SqlToken.Kind.COMMA) {
                expectValue = true;
            } else {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isValue(SqlToken token) {
        return token.isLiteral() || token.kind() == SqlToken.Kind.PLACEHOLDER || token.isWord("NULL");
    }

    private static boolean isSign(SqlToken token) {
        return token.kind() == SqlToken.Kind.OPERATOR && (token.is('-') || token.is('+'));
    }

    /** A sign is unary when nothing that could be an operand comes before it. */
    private static boolean isSignOfNumber(List<SqlToken> tokens, int i, SqlToken previous) {
        if (!isSign(tokens.get(i))
                || i + 1 >= tokens.size()
                || !tokens.get(i + 1).isLiteral()) {
            return false;
        }
        return previous == null
                || previous.kind() == SqlToken.Kind.OPERATOR
                || previous.kind() == SqlToken.Kind.LEFT_PAREN
                || previous.kind() == SqlToken.Kind.COMMA
                || (previous.kind() == SqlToken.Kind.WORD && previous.isKeyword());
    }

    static void render(StringBuilder digest, SqlToken token, SqlToken previous, SqlToken next) {
        switch (token.kind()) {
            case STRING, NUMBER, HEX_OR_BIT, PLACEHOLDER -> digest.append('?');
            case QUOTED_IDENTIFIER -> quote(digest, token.identifier());
            case WORD -> {
                boolean keyword =
                        (token.isKeyword() && !isQualified(previous)) || TokenFacts.isCall(previous, token, next);
                if (keyword) {
                    token.appendTo(digest, true);
                } else {
                    digest.append('`');
                    token.appendTo(digest, false); // a word holds no backtick
                    digest.append('`');
                }
            }
            default -> token.appendTo(digest, false);
        }
    }

    /** After a dot a word is always a name (t.status), whatever keyword it spells. */
    private static boolean isQualified(SqlToken previous) {
        return previous != null && previous.kind() == SqlToken.Kind.DOT;
    }

    private static void quote(StringBuilder digest, String identifier) {
        digest.append('`');
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            digest.append(c);
            if (c == '`') {
                digest.append('`');
            }
        }
        digest.append('`');
    }

    /** The digest, with the space that separates the next token when there is one before it. */
    private static StringBuilder separate(StringBuilder digest) {
        return digest.length() > 0 ? digest.append(' ') : digest;
    }
}
