package dev.agentgate.approval;

import java.util.Locale;

/** What one approver says about a request. */
public enum Verdict {
    APPROVE,
    DENY;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Verdict of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
