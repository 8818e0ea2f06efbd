package dev.agentgate.analysis;

import java.util.List;

/** A read position in a statement's tokens, for the small hand-written grammars of {@link TokenTables}. */
final class TokenCursor {

    /** A possibly qualified name: {@code t}, {@code db.t}, {@code `db`.`t`}, {@code db.*}, {@code *.*}. */
    record QualifiedName(String schema, String name) {}

    private final List<SqlToken> tokens;
    private int pos;

    TokenCursor(List<SqlToken> tokens) {
        this.tokens = tokens;
    }

    boolean atEnd() {
        return pos >= tokens.size();
    }

    SqlToken peek() {
        return atEnd() ? null : tokens.get(pos);
    }

    void advance() {
        pos++;
    }

    /** Consumes the keyword if it is next. */
    boolean accept(String keyword) {
        if (!atEnd() && tokens.get(pos).isWord(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    boolean accept(SqlToken.Kind kind) {
        if (!atEnd() && tokens.get(pos).kind() == kind) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes any run of the given keywords, in any order. */
    void skipAny(String... keywords) {
        boolean skipped = true;
        while (skipped) {
            skipped = false;
            for (String keyword : keywords) {
                skipped |= accept(keyword);
            }
        }
    }

    /** Moves past the first of the keywords at parenthesis depth 0; false (and at end) when there is none. */
    boolean seek(String... keywords) {
        int depth = 0;
        while (!atEnd()) {
            SqlToken token = tokens.get(pos++);
            depth += token.kind() == SqlToken.Kind.LEFT_PAREN ? 1 : token.kind() == SqlToken.Kind.RIGHT_PAREN ? -1 : 0;
            for (String keyword : keywords) {
                if (depth == 0 && token.isWord(keyword)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Reads a possibly qualified name, or null (consuming nothing) when none is next. */
    QualifiedName qualifiedName() {
        String first = namePart();
        if (first == null) {
            return null;
        }
        if (!atEnd() && tokens.get(pos).kind() == SqlToken.Kind.DOT) {
            pos++;
            String second = namePart();
            return new QualifiedName(first, second == null ? "" : second);
        }
        return new QualifiedName(null, first);
    }

    private String namePart() {
        SqlToken token = peek();
        if (token == null) {
            return null;
        }
        if (token.isIdentifier()
                || (token.kind() == SqlToken.Kind.OPERATOR && token.text().equals("*"))) {
            pos++;
            return token.identifier();
        }
        return null;
    }
}
