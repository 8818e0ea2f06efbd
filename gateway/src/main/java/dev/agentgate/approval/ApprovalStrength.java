package dev.agentgate.approval;

import java.util.Locale;

/** How strongly an approver must have proven who they are for their vote to count. */
public enum ApprovalStrength {
    /** Any channel the gateway offers: Slack buttons, the approval page, the admin API. */
    ANY,
    /** Only approvers who signed in through single sign-on (the approval page) or the admin API with a token. */
    SSO;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static ApprovalStrength of(String name) {
        for (ApprovalStrength strength : values()) {
            if (strength.jsonName().equals(name)) {
                return strength;
            }
        }
        throw new IllegalArgumentException("unknown approval strength '" + name + "' (expected any or sso)");
    }
}
