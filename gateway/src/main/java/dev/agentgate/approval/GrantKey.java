package dev.agentgate.approval;

import java.util.Objects;

/**
 * What an approval grants: this identity may run this exact statement text on this target, in this database.
 *
 * @param database the session's current database, null when none (a statement that names no database runs
 *     elsewhere once another is current, so the grant does not carry over)
 */
public record GrantKey(String issuer, String subject, String target, String database, String statementSha256) {
    public GrantKey {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(statementSha256, "statementSha256");
    }
}
