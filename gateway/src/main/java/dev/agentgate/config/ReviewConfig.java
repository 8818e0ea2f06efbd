package dev.agentgate.config;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may review recorded sessions on the admin listener ({@code review:} section): auditors by token subject or
 * group, and an optional admin key for scripts and break-glass access.
 *
 * @param auditorSubjects token subjects ({@code sub}) that are auditors
 * @param auditorGroups members of these groups (the token's {@code groups} claim) are auditors
 * @param adminKey a shared secret of at least {@value #MIN_ADMIN_KEY_BYTES} bytes, empty for none
 */
public record ReviewConfig(List<String> auditorSubjects, List<String> auditorGroups, Optional<String> adminKey) {

    /** Shorter keys could be guessed; 32 bytes matches the approval link key. */
    public static final int MIN_ADMIN_KEY_BYTES = 32;

    public ReviewConfig {
        auditorSubjects = List.copyOf(auditorSubjects);
        auditorGroups = List.copyOf(auditorGroups);
        Objects.requireNonNull(adminKey, "review.admin_key");
        if (adminKey.isPresent() && adminKey.get().getBytes(StandardCharsets.UTF_8).length < MIN_ADMIN_KEY_BYTES) {
            throw new IllegalArgumentException("review.admin_key must be at least " + MIN_ADMIN_KEY_BYTES + " bytes");
        }
    }

    /** Nobody may review: the default when the section is absent (the review API then refuses every request). */
    public static ReviewConfig nobody() {
        return new ReviewConfig(List.of(), List.of(), Optional.empty());
    }

    /** Whether anyone at all may review. */
    public boolean anyone() {
        return !auditorSubjects.isEmpty() || !auditorGroups.isEmpty() || adminKey.isPresent();
    }
}
