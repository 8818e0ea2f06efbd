package dev.agentgate.analysis;

/**
 * The character set of a collation id from the handshake, as far as lexing needs it: the UTF-8 ones the gateway
 * decodes exactly, by name; any other id is named by its number, and the lexer reads only ASCII text in it.
 */
final class Collations {

    private Collations() {}

    static String characterSet(int collationId) {
        if (collationId == 33
                || collationId == 83
                || (collationId >= 192 && collationId <= 215)
                || collationId == 223) {
            return "utf8mb3";
        }
        if (collationId == 45 || collationId == 46 || (collationId >= 224 && collationId <= 247)) {
            return "utf8mb4";
        }
        return "collation " + collationId;
    }

    /** Whether text in this {@code character_set_client} is UTF-8 (MariaDB calls utf8mb3 {@code utf8} before 10.6). */
    static boolean isUtf8(String characterSet) {
        return characterSet.equals("utf8mb4") || characterSet.equals("utf8mb3") || characterSet.equals("utf8");
    }
}
