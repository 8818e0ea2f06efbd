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
 * @param botToken the Slack app's bot token (scope {@code usergroups:read}), to learn the members of Slack user groups
 *     named as approvers ({@code slack:<user group id>}); null when no approvers are Slack user groups
 * @param apiUrl where Slack's Web API is, {@code https://slack.com/api/} unless a stand-in is used
 */
public record SlackConfig(
        URI webhookUrl,
        String signingSecret,
        Map<String, SlackUser> users,
        int maxAttempts,
        Duration firstBackoff,
        String botToken,
        URI apiUrl) {
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofMillis(500);
    public static final URI DEFAULT_API_URL = URI.create("https://slack.com/api/");

    public SlackConfig {
        Objects.requireNonNull(webhookUrl, "approval.slack.webhook_url is required");
        Objects.requireNonNull(firstBackoff, "approval.slack.first_backoff");
        users = Map.copyOf(users);
        apiUrl = apiUrl == null ? DEFAULT_API_URL : apiUrl;
    }

    /** Without a bot token: Slack user groups cannot be approvers. */
    public SlackConfig(
            URI webhookUrl,
            String signingSecret,
            Map<String, SlackUser> users,
            int maxAttempts,
            Duration firstBackoff) {
        this(webhookUrl, signingSecret, users, maxAttempts, firstBackoff, null, null);
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
