package dev.agentgate.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Approval requests on Slack ({@code approval.slack}).
 *
 * @param webhookUrl the incoming webhook messages are posted to
 * @param signingSecret the Slack app's signing secret, verifying clicks on the buttons; null for webhook-only
 *     setups (the buttons then do nothing and approvers use the signed link)
 * @param users Slack user ids mapped to the approver identities they act as
 * @param maxAttempts how often one message is tried before the request is refused
 * @param firstBackoff the wait before the second try; each later wait doubles
 */
public record SlackConfig(
        URI webhookUrl, String signingSecret, Map<String, SlackUser> users, int maxAttempts, Duration firstBackoff) {
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofMillis(500);

    public SlackConfig {
        Objects.requireNonNull(webhookUrl, "approval.slack.webhook_url is required");
        Objects.requireNonNull(firstBackoff, "approval.slack.first_backoff");
        users = Map.copyOf(users);
    }

    /**
     * The approver a Slack user acts as ({@code approval.slack.users.<slack user id>}).
     *
     * @param groups groups the approver counts as a member of, as the {@code groups} claim would say
     */
    public record SlackUser(String issuer, String subject, List<String> groups) {
        public SlackUser {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(subject, "subject");
            groups = List.copyOf(groups);
        }
    }
}
