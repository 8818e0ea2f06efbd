package dev.agentgate.config;

import java.util.Optional;

/**
 * Where people decide approval requests, beside the admin API (keys of the {@code approval} section):
 * Slack ({@code approval.slack}), and the approval page reached by signed links ({@code approval.link_key},
 * {@code approval.sso}). Both are optional; the page needs both its keys.
 */
public record ApprovalChannelsConfig(
        Optional<SlackConfig> slack, Optional<String> linkKey, Optional<ApprovalSsoConfig> sso) {
    public ApprovalChannelsConfig {
        if (linkKey.isPresent() != sso.isPresent()) {
            throw new IllegalArgumentException(
                    "approval.link_key and approval.sso must be given together: links open a page approvers sign in to");
        }
    }

    public static ApprovalChannelsConfig none() {
        return new ApprovalChannelsConfig(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Whether the approval page (and so signed links) is served. */
    public boolean pageEnabled() {
        return sso.isPresent();
    }
}
