package dev.agentgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/** Reads the {@code state} and {@code approval} sections. */
final class StateSectionsReader {

    private StateSectionsReader() {}

    static StateConfig state(ConfigNode state, ConfigNode root) {
        state.rejectUnknownKeys(List.of("url", "user", "password", "pool_size"));
        String url = state.optionalString("url")
                .orElseGet(() -> "jdbc:sqlite:"
                        + root.path("data_dir")
                                .map(dir -> dir.resolve("agentgate-state.db"))
                                .orElseGet(() -> root.resolvePath(StateConfig.DEFAULT_FILE)));
        if (!url.startsWith("jdbc:")) {
            throw state.error(
                    "url", "must be a JDBC URL (jdbc:sqlite:, jdbc:mariadb:, jdbc:mysql: or jdbc:postgresql:)");
        }
        boolean sqlite = url.startsWith("jdbc:sqlite:");
        int poolSize = state.positiveInt("pool_size", sqlite ? 1 : StateConfig.DEFAULT_POOL_SIZE);
        if (sqlite && poolSize != 1) {
            // SQLite has one writer; a second pooled connection would only meet SQLITE_BUSY.
            throw state.error("pool_size", "must be 1 for an SQLite state database, was " + poolSize);
        }
        return new StateConfig(
                url,
                state.optionalString("user").orElse(null),
                state.secret("password").orElse(null),
                poolSize);
    }

    static ApprovalConfig approval(ConfigNode approval) {
        approval.rejectUnknownKeys(List.of(
                "default_mode",
                "default_timeout",
                "grant_uses",
                "grant_window",
                "poll_interval",
                "public_url",
                "requester_claims",
                "count_rows"));
        ApprovalConfig defaults = ApprovalConfig.defaults();
        return new ApprovalConfig(
                approval.choice("default_mode", defaults.defaultMode(), List.of("hold", "ticket")),
                approval.positiveDuration("default_timeout", defaults.defaultTimeout()),
                approval.positiveInt("grant_uses", defaults.grantUses()),
                approval.positiveDuration("grant_window", defaults.grantWindow()),
                approval.positiveDuration("poll_interval", defaults.pollInterval()),
                approval.optionalString("public_url")
                        .map(text -> uri(approval, text))
                        .orElse(null),
                approval.stringList("requester_claims", defaults.requesterClaims()),
                approval.bool("count_rows", defaults.countRows()));
    }

    private static URI uri(ConfigNode approval, String text) {
        try {
            URI uri = new URI(text);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw approval.error("public_url", "must be an http(s) URL, was '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw approval.error("public_url", "is not a URL: " + e.getMessage());
        }
    }
}
