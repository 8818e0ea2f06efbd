package dev.agentgate.config;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in a config value with environment variables.
 * Like the shell, the default applies when the variable is unset or empty. {@code $${} yields a
 * literal {@code ${}, for values (passwords) that must contain it.
 */
final class EnvSubstitution {
    private static final Pattern REFERENCE =
            Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}|\\$\\{");

    private EnvSubstitution() {}

    /**
     * Substitutes every reference in {@code value}.
     *
     * @throws IllegalArgumentException naming the variable when one without default is unset, or
     *     describing a malformed reference
     */
    static String substitute(String value, Function<String, String> env) {
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement(matcher, env)));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String replacement(Matcher matcher, Function<String, String> env) {
        if (matcher.group().equals("$${")) {
            return "${";
        }
        String name = matcher.group(1);
        if (name == null) {
            throw new IllegalArgumentException("malformed variable reference: expected ${NAME} or ${NAME:-default}");
        }
        String value = env.apply(name);
        String fallback = matcher.group(2);
        if (fallback != null && (value == null || value.isEmpty())) {
            return fallback;
        }
        if (value == null) {
            throw new IllegalArgumentException(
                    "environment variable " + name + " is not set (write ${" + name + ":-default} for a default)");
        }
        return value;
    }
}
