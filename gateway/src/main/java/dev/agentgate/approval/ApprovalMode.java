package dev.agentgate.approval;

import java.util.Locale;

/** How a statement that needs approval waits for it. */
public enum ApprovalMode {
    /** The statement is held (the client waits) until the request is decided or expires. */
    HOLD,
    /** The statement is refused at once with a ticket; once approved, the client runs it again. */
    TICKET;

    /** The name in policy decisions, configuration and the state database. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static ApprovalMode of(String name) {
        for (ApprovalMode mode : values()) {
            if (mode.jsonName().equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown approval mode '" + name + "' (expected hold or ticket)");
    }
}
