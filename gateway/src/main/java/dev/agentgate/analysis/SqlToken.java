package dev.agentgate.analysis;

/**
 * One lexical token of MySQL text. Offsets index the text that was tokenized, so a token can always be
 * mapped back to what the client sent.
 */
record SqlToken(Kind kind, String text, int start, int end) {

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

    boolean isWord(String keyword) {
        return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    boolean isLiteral() {
        return kind == Kind.STRING || kind == Kind.NUMBER || kind == Kind.HEX_OR_BIT;
    }

    boolean isIdentifier() {
        return kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER;
    }

    /** The identifier without its backticks (doubled backticks unescaped). */
    String identifier() {
        if (kind != Kind.QUOTED_IDENTIFIER) {
            return text;
        }
        String inner = text.length() >= 2 && text.endsWith("`") ? text.substring(1, text.length() - 1) : text.substring(1);
        return inner.replace("``", "`");
    }
}
