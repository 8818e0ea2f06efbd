package dev.agentgate.transport;

import dev.agentgate.enforcement.ApprovedRows;

/** What the client of an approved UPDATE or DELETE is told when its effect check refuses it. */
final class ApprovedEffectMessages {

    /** ER_TABLEACCESS_DENIED_ERROR, as for every refusal of agentgate's policy. */
    static final int ACCESS_DENIED = 1142;

    private ApprovedEffectMessages() {}

    static String prefix(ApprovedRows approved) {
        return "Access denied by agentgate: request " + approved.requestId() + ": ";
    }

    static String exceeded(ApprovedRows approved, long changed) {
        return "it was approved to change at most " + rows(approved.rows()) + ", but it would change "
                + rows(changed) + "; the gateway rolled it back, so nothing changed. The data changed since the"
                + " approval: ask again with the statement as it is now.";
    }

    static String notEnded(ApprovedRows approved, boolean committing, String why) {
        return prefix(approved) + "the gateway could not " + (committing ? "COMMIT" : "ROLL BACK")
                + " the transaction it ran the approved statement in (" + why + "); the session ends, which rolls"
                + " the statement back.";
    }

    private static String rows(long count) {
        return count + (count == 1 ? " row" : " rows");
    }
}
