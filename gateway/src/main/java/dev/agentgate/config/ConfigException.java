package dev.agentgate.config;

import java.util.Optional;

/**
 * A configuration file that cannot be used. The message names the key path and the problem, e.g.
 * {@code targets.appdb.port: must be between 1 and 65535, was 0}, so that an operator can fix the
 * file without reading code.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String keyPath;

    /** A problem that is not tied to one key (unreadable file, YAML syntax). */
    public ConfigException(String message) {
        this(message, (Throwable) null);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.keyPath = null;
    }

    /** A problem with the value at {@code keyPath}; the message becomes {@code "keyPath: problem"}. */
    public static ConfigException at(String keyPath, String problem) {
        return new ConfigException(keyPath, problem, null);
    }

    private ConfigException(String keyPath, String problem, Throwable cause) {
        super(keyPath + ": " + problem, cause);
        this.keyPath = keyPath;
    }

    /** The dotted key path the problem is about, when there is one. */
    public Optional<String> keyPath() {
        return Optional.ofNullable(keyPath);
    }
}
