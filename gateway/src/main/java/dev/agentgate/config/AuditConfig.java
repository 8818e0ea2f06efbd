package dev.agentgate.config;

/**
 * The SIEM export ({@code audit:} section): session and decision events as JSON lines.
 *
 * @param jsonl {@code audit.jsonl}: a file the lines are appended to, {@code "-"} for stdout, null for no export
 */
public record AuditConfig(String jsonl) {

    /** No export: the default when the section is absent. */
    public static AuditConfig off() {
        return new AuditConfig(null);
    }

    public boolean enabled() {
        return jsonl != null;
    }
}
