package dev.agentgate.approval;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A person deciding an approval request, as the channel they decided through established them. A Slack user is
 * resolved to an identity (issuer and subject) before it reaches {@link ApprovalDecisions}, so that the rule "never
 * your own request" holds across channels.
 *
 * @param groups the approver's groups (the {@code groups} claim, or the Slack user groups they belong to)
 */
public record Approver(String issuer, String subject, List<String> groups, Via via) {

    /** The channel a decision came through. */
    public enum Via {
        SLACK,
        SSO,
        API;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Via of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    public Approver {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(via, "via");
        groups = List.copyOf(groups);
    }

    /** {@code issuer|subject}, as history and session events name approvers. */
    public String name() {
        return issuer + "|" + subject;
    }
}
