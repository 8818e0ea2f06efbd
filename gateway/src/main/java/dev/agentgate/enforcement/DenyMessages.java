package dev.agentgate.enforcement;

import dev.agentgate.policy.Decision;

/** The text a client sees when the gateway refuses a statement. */
final class DenyMessages {

    private DenyMessages() {}

    /**
     * The message for a deny.
     *
     * @param which names the statement within a batch ("statement 2 of 3: "), or empty
     */
    static String of(Decision decision, String which) {
        return "Access denied by agentgate policy: " + which + decision.reason() + idOf(decision);
    }

    /** The message for a {@code require_approval} decision that cannot be asked for (and so must not run). */
    static String approvalImpossible(Decision decision, String which, String problem) {
        return "Access denied by agentgate: " + which + "the statement needs approval (" + decision.reason() + "), but "
                + problem + idOf(decision);
    }

    /** The message for a {@code mask} decision whose masks cannot be applied, so the statement must not run. */
    static String unusableMasks(Decision decision, String which, String problem) {
        return "Access denied by agentgate: " + which + "the policy's masks cannot be applied (" + problem + ")"
                + idOf(decision);
    }

    /** Names statement {@code index} (from 0) of a batch of {@code count}; empty for a single statement. */
    static String which(int index, int count) {
        return count > 1 ? "statement " + (index + 1) + " of " + count + ": " : "";
    }

    private static String idOf(Decision decision) {
        return decision.decisionId().map(d -> " [decision " + d + "]").orElse("");
    }
}
