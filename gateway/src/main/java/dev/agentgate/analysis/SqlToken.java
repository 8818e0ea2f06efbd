package dev.agentgate.analysis;

import java.util.Locale;
import java.util.Objects;

/**
 * One lexical token of MySQL text. Offsets index the text that was tokenized, so a token can always be
 * mapped back to what the client sent. The token's text is cut out of that source only when asked for:
 * the lexer-only cache key reads most tokens without it (keyword checks, digest), and it runs on the event
 * loop for every statement.
 */
final class SqlToken {

    enum Kind {
        /** Unquoted identifier or keyword. */
        WORD,
        /** {@code `name`}; text keeps the backticks. */
        QUOTED_IDENTIFIER,
        /** '...' or "..." (optionally with a charset introducer or N prefix). */
        STRING,
        NUMBER,
        /** X'..', 0x.., B'..', 0b... */
        HEX_OR_BIT,
        /** {@code @name}, {@code @'name'}. */
        USER_VARIABLE,
        /** {@code @@name}, {@code @@global.name}. */
        SYSTEM_VARIABLE,
        /** {@code ?} placeholder of a prepared statement. */
        PLACEHOLDER,
        LEFT_PAREN,
        RIGHT_PAREN,
        COMMA,
        DOT,
        SEMICOLON,
        OPERATOR,
        /** Opening of a versioned comment, {@code /*!50001} or {@code /*M!100101}: its content is executed. */
        VERSIONED_OPEN,
        /** The {@code *}{@code /} that closes a versioned comment. */
        VERSIONED_CLOSE,
        /** An ordinary comment ({@code #}, {@code -- }, block); kept only so it can be blanked for the parser. */
        COMMENT
    }

    private final Kind kind;
    private final String source;
    private final int start;
    private final int end;
    private String text; // cut on first use; a racing thread cuts an equal one

    /** @param source the text that was tokenized; the token is {@code source[start, end)} */
    SqlToken(Kind kind, String source, int start, int end) {
        this.kind = kind;
        this.source = source;
        this.start = start;
        this.end = end;
    }

    Kind kind() {
        return kind;
    }

    String text() {
        String cut = text;
        if (cut == null) {
            cut = source.substring(start, end);
            text = cut;
        }
        return cut;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    boolean isWord(String keyword) {
        return kind == Kind.WORD
                && end - start == keyword.length()
                && source.regionMatches(true, start, keyword, 0, keyword.length());
    }

    /** A one-character token of the given character, e.g. the operator {@code -}. */
    boolean is(char symbol) {
        return end - start == 1 && source.charAt(start) == symbol;
    }

    /** Whether this word is one of the keywords the digest upper-cases ({@link MySqlKeywords}). */
    boolean isKeyword() {
        return MySqlKeywords.isKeyword(source, start, end);
    }

    /** Appends the text, as it is or in upper case (Locale.ROOT), without cutting it out first. */
    void appendTo(StringBuilder out, boolean upperCase) {
        if (!upperCase) {
            out.append(source, start, end);
            return;
        }
        int mark = out.length();
        for (int i = start; i < end; i++) {
            char c = source.charAt(i);
            if (c >= 0x80) {
                out.setLength(mark); // beyond ASCII, upper case may change the length: leave it to String
                out.append(text().toUpperCase(Locale.ROOT));
                return;
            }
            out.append(c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c);
        }
    }

    boolean isLiteral() {
        return kind == Kind.STRING || kind == Kind.NUMBER || kind == Kind.HEX_OR_BIT;
    }

    boolean isIdentifier() {
        return kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER;
    }

    /** The identifier without its backticks (doubled backticks unescaped). */
    String identifier() {
        String text = text();
        if (kind != Kind.QUOTED_IDENTIFIER) {
            return text;
        }
        String inner =
                text.length() >= 2 && text.endsWith("`") ? text.substring(1, text.length() - 1) : text.substring(1);
        return inner.replace("``", "`");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SqlToken token
                && kind == token.kind
                && start == token.start
                && end == token.end
                && text().equals(token.text());
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, text(), start, end);
    }

    @Override
    public String toString() {
        return "SqlToken[kind=" + kind + ", text=" + text() + ", start=" + start + ", end=" + end + "]";
    }
}
