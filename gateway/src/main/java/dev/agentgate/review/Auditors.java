package dev.agentgate.review;

import dev.agentgate.config.ReviewConfig;
import dev.agentgate.identity.Identity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** Who may review recordings ({@code review:}): auditors by subject or group, and the admin key. */
public final class Auditors {

    private final ReviewConfig config;

    public Auditors(ReviewConfig config) {
        this.config = config;
    }

    /** Whether the verified {@code identity} is an auditor: its subject is listed, or one of its groups is. */
    public boolean admits(Identity identity) {
        if (config.auditorSubjects().contains(identity.subject())) {
            return true;
        }
        return identity.claims().get("groups") instanceof List<?> groups
                && groups.stream().map(String::valueOf).anyMatch(config.auditorGroups()::contains);
    }

    /** Whether {@code presented} is the admin key (compared in constant time); false when none is configured. */
    public boolean isAdminKey(String presented) {
        return presented != null
                && config.adminKey()
                        .map(key -> MessageDigest.isEqual(
                                key.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8)))
                        .orElse(false);
    }
}
