package dev.agentgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One mapping of the parsed config file together with its key path. Reads typed values (after
 * environment substitution) and turns every problem into a {@link ConfigException} naming the full
 * key path, so section readers never build paths or messages by hand.
 */
final class ConfigNode {
    private final JsonNode node;
    private final String path;
    private final Function<String, String> env;
    private final Path baseDir;

    private ConfigNode(JsonNode node, String path, Function<String, String> env, Path baseDir) {
        this.node = node;
        this.path = path;
        this.env = env;
        this.baseDir = baseDir;
    }

    /** The document root; {@code null} (an empty file) reads as an empty mapping. */
    static ConfigNode root(JsonNode root, Function<String, String> env, Path baseDir) {
        if (root != null && !root.isMissingNode() && !root.isNull() && !root.isObject()) {
            throw new ConfigException("the config file must be a YAML mapping of sections");
        }
        return new ConfigNode(root, "", env, baseDir);
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** A problem with the value of {@code key} in this mapping. */
    ConfigException error(String key, String problem) {
        return ConfigException.at(pathOf(key), problem);
    }

    /** A problem with this mapping as a whole. */
    ConfigException error(String problem) {
        return ConfigException.at(path, problem);
    }

    /** Whether {@code key} is present with a non-null value. */
    boolean has(String key) {
        return value(key) != null;
    }

    /** Fails on the first key not in {@code known}: a misspelt key must not be silently ignored. */
    void rejectUnknownKeys(List<String> known) {
        if (node == null || node.isNull()) {
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ConfigException(
                        "unknown key '" + pathOf(name) + "' (expected one of: " + String.join(", ", known) + ")");
            }
        }
    }

    /** The mapping at {@code key}; an absent key reads as an empty mapping, so every key takes its default. */
    ConfigNode section(String key) {
        JsonNode value = value(key);
        if (value != null && !value.isObject()) {
            throw error(key, "must be a mapping");
        }
        return new ConfigNode(value, pathOf(key), env, baseDir);
    }

    /** The mapping at {@code key} if present. */
    Optional<ConfigNode> optionalSection(String key) {
        return has(key) ? Optional.of(section(key)) : Optional.empty();
    }

    /** The mappings under each key of the mapping at {@code key}, in file order (e.g. targets by name). */
    Map<String, ConfigNode> sectionsByName(String key) {
        ConfigNode parent = section(key);
        Map<String, ConfigNode> sections = new LinkedHashMap<>();
        if (parent.node != null) {
            parent.node.fieldNames().forEachRemaining(name -> sections.put(name, parent.section(name)));
        }
        return sections;
    }

    /** The mappings in the list at {@code key}, with paths like {@code issuers[0]}. */
    List<ConfigNode> sectionList(String key) {
        JsonNode value = value(key);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw error(key, "must be a list");
        }
        List<ConfigNode> sections = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            String elementPath = pathOf(key) + "[" + i + "]";
            if (!value.get(i).isObject()) {
                throw ConfigException.at(elementPath, "must be a mapping");
            }
            sections.add(new ConfigNode(value.get(i), elementPath, env, baseDir));
        }
        return sections;
    }

    /** The substituted text of a scalar; absent, null and blank values read as empty. */
    Optional<String> optionalString(String key) {
        return scalar(key).filter(text -> !text.isBlank());
    }

    String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    String requiredString(String key) {
        return optionalString(key).orElseThrow(() -> error(key, "is required"));
    }

    /**
     * A secret taken exactly as written (empty allowed). Must be a YAML string: unquoted, a password
     * like {@code 0123} or {@code yes} would silently become another value.
     */
    Optional<String> secret(String key) {
        JsonNode value = value(key);
        if (value != null && !value.isTextual()) {
            throw error(key, "must be a string (quote it so YAML keeps it as written)");
        }
        return scalar(key);
    }

    int port(String key, int defaultValue) {
        int port = integer(key, defaultValue);
        if (port < 1 || port > 65535) {
            throw error(key, "must be between 1 and 65535, was " + port);
        }
        return port;
    }

    int positiveInt(String key, int defaultValue) {
        int value = integer(key, defaultValue);
        if (value <= 0) {
            throw error(key, "must be positive, was " + value);
        }
        return value;
    }

    int nonNegativeInt(String key, int defaultValue) {
        int value = integer(key, defaultValue);
        if (value < 0) {
            throw error(key, "must not be negative, was " + value);
        }
        return value;
    }

    boolean bool(String key, boolean defaultValue) {
        return optionalString(key)
                .map(text -> switch (text) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw error(key, "must be true or false, was '" + text + "'");
                })
                .orElse(defaultValue);
    }

    /** A duration that may be zero (e.g. a grace period). */
    Duration duration(String key, Duration defaultValue) {
        return optionalString(key).map(text -> parseDuration(key, text)).orElse(defaultValue);
    }

    Duration positiveDuration(String key, Duration defaultValue) {
        Duration duration = duration(key, defaultValue);
        if (duration.isZero()) {
            throw error(key, "must be longer than 0");
        }
        return duration;
    }

    /** One of {@code allowed}. */
    String choice(String key, String defaultValue, List<String> allowed) {
        String value = string(key, defaultValue);
        if (!allowed.contains(value)) {
            throw error(key, "must be one of " + String.join(", ", allowed) + ", was '" + value + "'");
        }
        return value;
    }

    /** A path, resolved against the config file's directory when relative. */
    Optional<Path> path(String key) {
        return optionalString(key).map(text -> baseDir.resolve(text).normalize());
    }

    /** A byte size: a plain number or one with a suffix {@code KiB}, {@code MiB}, {@code GiB} or {@code TiB}. */
    long byteSize(String key, long defaultValue) {
        return optionalString(key)
                .map(text -> {
                    try {
                        return ByteSizes.parse(text);
                    } catch (IllegalArgumentException e) {
                        throw error(key, e.getMessage());
                    }
                })
                .orElse(defaultValue);
    }

    /** {@code relative} resolved against the config file's directory. */
    Path resolvePath(String relative) {
        return baseDir.resolve(relative).normalize();
    }

    /** A path that must name an existing regular file. */
    Optional<Path> existingFile(String key) {
        Optional<Path> file = path(key);
        file.filter(f -> !Files.isRegularFile(f)).ifPresent(f -> {
            throw error(key, "file not found: " + f);
        });
        return file;
    }

    /** A list of scalars; a single scalar is refused so that a forgotten dash is noticed. */
    List<String> stringList(String key, List<String> defaultValue) {
        JsonNode value = value(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isArray()) {
            throw error(key, "must be a list, e.g. [" + value.asText() + "]");
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            items.add(substitute(key + "[" + i + "]", value.get(i)));
        }
        return List.copyOf(items);
    }

    private int integer(String key, int defaultValue) {
        return optionalString(key)
                .map(text -> {
                    try {
                        return Integer.parseInt(text.strip());
                    } catch (NumberFormatException e) {
                        throw error(key, "must be an integer, was '" + text + "'");
                    }
                })
                .orElse(defaultValue);
    }

    private Duration parseDuration(String key, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    private Optional<String> scalar(String key) {
        JsonNode value = value(key);
        return value == null ? Optional.empty() : Optional.of(substitute(key, value));
    }

    private String substitute(String key, JsonNode value) {
        if (!value.isValueNode()) {
            throw error(key, "must be a single value, not a " + (value.isArray() ? "list" : "mapping"));
        }
        try {
            return EnvSubstitution.substitute(value.asText(), env);
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    private JsonNode value(String key) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }
}
