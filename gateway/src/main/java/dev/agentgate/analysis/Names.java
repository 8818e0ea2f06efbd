package dev.agentgate.analysis;

/** Identifier text as JSqlParser hands it over, without MySQL's quoting. */
public final class Names {

    private Names() {}

    /** {@code `a``b`} -> {@code a`b}, {@code "x"} -> {@code x}; null stays null. */
    public static String unquote(String identifier) {
        if (identifier == null || identifier.length() < 2) {
            return identifier;
        }
        char first = identifier.charAt(0);
        if ((first == '`' || first == '"') && identifier.charAt(identifier.length() - 1) == first) {
            String quote = String.valueOf(first);
            return identifier.substring(1, identifier.length() - 1).replace(quote + quote, quote);
        }
        return identifier;
    }
}
