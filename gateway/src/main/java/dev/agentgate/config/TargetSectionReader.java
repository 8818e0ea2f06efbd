package dev.agentgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the {@code targets} section: the MySQL servers behind the gateway, by name. */
final class TargetSectionReader {
    private static final List<String> TLS_MODES = Arrays.stream(BackendTlsMode.values())
            .map(BackendTlsMode::configName)
            .toList();

    private TargetSectionReader() {}

    static Map<String, TargetConfig> targets(ConfigNode root) {
        Map<String, TargetConfig> targets = new LinkedHashMap<>();
        root.sectionsByName("targets").forEach((name, section) -> targets.put(name, target(name, section)));
        if (targets.isEmpty()) {
            throw root.error("targets", "at least one target is required");
        }
        return targets;
    }

    private static TargetConfig target(String name, ConfigNode target) {
        if (!TargetConfig.NAME_PATTERN.matcher(name).matches()) {
            throw target.error("name must be 1-80 characters of A-Z a-z 0-9 _ . - (it is the MySQL user name"
                    + " clients log in with)");
        }
        target.rejectUnknownKeys(
                List.of("host", "port", "user", "password", "password_file", "database", "connect_timeout", "tls"));
        return new TargetConfig(
                name,
                target.requiredString("host"),
                target.port("port", TargetConfig.DEFAULT_PORT),
                target.requiredString("user"),
                password(target),
                target.optionalString("database").orElse(null),
                target.positiveDuration("connect_timeout", TargetConfig.DEFAULT_CONNECT_TIMEOUT),
                tls(target.section("tls")));
    }

    /** Exactly one of {@code password} and {@code password_file}; a file loses its trailing newline. */
    private static String password(ConfigNode target) {
        Optional<String> password = target.secret("password");
        Optional<Path> passwordFile = target.path("password_file");
        if (password.isPresent() == passwordFile.isPresent()) {
            throw target.error("exactly one of password or password_file is required");
        }
        return password.orElseGet(() -> readPasswordFile(target, passwordFile.get()));
    }

    private static String readPasswordFile(ConfigNode target, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\\R+\\z", "");
        } catch (IOException e) {
            throw target.error(
                    "password_file", "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static BackendTlsConfig tls(ConfigNode tls) {
        tls.rejectUnknownKeys(List.of("mode", "ca_file"));
        String mode = tls.choice("mode", BackendTlsConfig.DEFAULT_MODE.configName(), TLS_MODES);
        return new BackendTlsConfig(
                BackendTlsMode.fromConfigName(mode).orElseThrow(),
                tls.existingFile("ca_file").orElse(null));
    }
}
