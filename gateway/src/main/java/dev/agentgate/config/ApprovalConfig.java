package dev.agentgate.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Defaults for statements the policy sends for approval ({@code approval:} section); a decision's own {@code
 * approval} fields win over them.
 *
 * @param defaultMode {@code hold} or {@code ticket}, for decisions that name none
 * @param defaultTimeout how long a request stays open when the decision names no {@code timeout_s}
 * @param grantUses how often an approved statement may run when the decision names no {@code grant_uses}
 * @param grantWindow how long after approval it may run when the decision names no {@code grant_window_s}
 * @param pollInterval how often a gateway holding statements looks for decisions made elsewhere
 * @param publicUrl the gateway's public base URL for links to the approval page; null when none
 * @param requesterClaims the claims of the requester that approvers are shown
 * @param countRows whether UPDATE and DELETE requests carry a row count, and the approved statement is rolled back
 *     when it changes more rows than approvers were shown
 */
public record ApprovalConfig(
        String defaultMode,
        Duration defaultTimeout,
        int grantUses,
        Duration grantWindow,
        Duration pollInterval,
        URI publicUrl,
        List<String> requesterClaims,
        boolean countRows) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);
    public static final Duration DEFAULT_GRANT_WINDOW = Duration.ofMinutes(15);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(300);
    public static final List<String> DEFAULT_REQUESTER_CLAIMS = List.of("name", "email", "groups", "azp");

    public ApprovalConfig {
        Objects.requireNonNull(defaultMode, "approval.default_mode must not be null");
        if (!defaultMode.equals("hold") && !defaultMode.equals("ticket")) {
            throw new IllegalArgumentException(
                    "approval.default_mode must be hold or ticket, was '" + defaultMode + "'");
        }
        positive(defaultTimeout, "approval.default_timeout");
        positive(grantWindow, "approval.grant_window");
        positive(pollInterval, "approval.poll_interval");
        if (grantUses < 1) {
            throw new IllegalArgumentException("approval.grant_uses must be at least 1, was " + grantUses);
        }
        requesterClaims = List.copyOf(requesterClaims);
    }

    public static ApprovalConfig defaults() {
        return new ApprovalConfig(
                "hold",
                DEFAULT_TIMEOUT,
                1,
                DEFAULT_GRANT_WINDOW,
                DEFAULT_POLL_INTERVAL,
                null,
                DEFAULT_REQUESTER_CLAIMS,
                true);
    }

    public ApprovalConfig withDefaultMode(String mode) {
        return new ApprovalConfig(
                mode, defaultTimeout, grantUses, grantWindow, pollInterval, publicUrl, requesterClaims, countRows);
    }

    public ApprovalConfig withPollInterval(Duration interval) {
        return new ApprovalConfig(
                defaultMode, defaultTimeout, grantUses, grantWindow, interval, publicUrl, requesterClaims, countRows);
    }

    private static void positive(Duration duration, String key) {
        Objects.requireNonNull(duration, key + " must not be null");
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(key + " must be longer than 0, was " + duration);
        }
    }
}
