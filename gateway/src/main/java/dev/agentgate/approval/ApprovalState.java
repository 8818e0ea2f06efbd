package dev.agentgate.approval;

import java.util.Locale;

/** Where an approval request stands; every state but {@link #PENDING} is final. */
public enum ApprovalState {
    PENDING,
    APPROVED,
    DENIED,
    EXPIRED,
    /** The client that waited in hold mode went away before the request was decided. */
    CANCELLED;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this != PENDING;
    }

    public static ApprovalState of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
