package dev.agentgate.analysis.lineage;

import dev.agentgate.analysis.Names;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import net.sf.jsqlparser.expression.Function;

/**
 * The built-in functions of MySQL and MariaDB (resource {@code lineage/builtin-functions.txt}). A call of any
 * other function runs a stored function, whose body may read any table: its value is of unknown origin.
 */
final class BuiltinFunctions {

    private static final String RESOURCE = "/lineage/builtin-functions.txt";
    private static final Set<String> NAMES = load();

    private BuiltinFunctions() {}

    /** Whether the call runs a built-in function; a schema-qualified call ({@code db.f()}) never does. */
    static boolean isBuiltin(Function function) {
        List<String> parts = function.getMultipartName();
        if (parts == null || parts.size() != 1 || parts.get(0) == null) {
            return parts == null && function.getName() == null; // no name at all: nothing to call
        }
        return isBuiltin(parts.get(0)); // a quoted name is not read as a built-in's keyword: assume the worst
    }

    /** Whether an unqualified, unquoted name is a built-in function's (window functions, aggregates). */
    static boolean isBuiltin(String name) {
        return name != null && name.equals(Names.unquote(name)) && NAMES.contains(name.toUpperCase(Locale.ROOT));
    }

    private static Set<String> load() {
        Set<String> names = new HashSet<>();
        try (InputStream in = Objects.requireNonNull(BuiltinFunctions.class.getResourceAsStream(RESOURCE), RESOURCE);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.lines()
                    .map(line -> line.replaceFirst("#.*", "").trim())
                    .filter(line -> !line.isEmpty())
                    .forEach(line ->
                            names.addAll(List.of(line.toUpperCase(Locale.ROOT).split("\\s+"))));
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
        return Set.copyOf(names);
    }
}
