package dev.agentgate.approval;

import dev.agentgate.identity.Identity;
import java.util.List;

/** The approver a verified token makes of its bearer: its issuer, subject and {@code groups} claim. */
public final class ApproverIdentities {
    private ApproverIdentities() {}

    public static Approver of(Identity identity, Approver.Via via) {
        Object groups = identity.claims().get("groups");
        List<String> names = groups instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : List.of();
        return new Approver(identity.issuer(), identity.subject(), names, via);
    }
}
