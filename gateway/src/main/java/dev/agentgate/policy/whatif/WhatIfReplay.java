package dev.agentgate.policy.whatif;

import dev.agentgate.policy.Decision;
import dev.agentgate.policy.PolicyEngine;
import dev.agentgate.policy.PolicyFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asks a candidate policy every recorded decision's exact input again and reports the decisions whose action would
 * change. An answer that is not the candidate's (OPA unreachable, timed out, overloaded) is an error of the replay,
 * not a change: it says nothing about the candidate.
 */
public final class WhatIfReplay {

    private static final List<String> ENGINE_FAILURES = List.of(
            PolicyFailure.UNAVAILABLE.describe(""),
            PolicyFailure.TIMEOUT.describe(""),
            PolicyFailure.OVERLOADED.describe(""));

    /** A decision the candidate takes differently. */
    public record Change(RecordedDecision recorded, String newAction, String newReason) {}

    /**
     * @param changed decisions whose action would change
     * @param failed decisions the candidate could not be asked about, with why
     */
    public record Result(int replayed, List<Change> changed, List<Change> failed) {}

    private static final int WINDOW = 32;

    private final PolicyEngine candidate;

    public WhatIfReplay(PolicyEngine candidate) {
        this.candidate = candidate;
    }

    public Result replay(List<RecordedDecision> decisions) {
        List<Decision> answers = new ArrayList<>();
        // In windows, so that a long recording does not queue past the client's per-decision time limit.
        for (int start = 0; start < decisions.size(); start += WINDOW) {
            List<CompletableFuture<Decision>> window = new ArrayList<>();
            for (RecordedDecision decision : decisions.subList(start, Math.min(decisions.size(), start + WINDOW))) {
                window.add(candidate.decide(decision.input()));
            }
            window.forEach(answer -> answers.add(answer.join()));
        }
        List<Change> changed = new ArrayList<>();
        List<Change> failed = new ArrayList<>();
        for (int i = 0; i < decisions.size(); i++) {
            Decision answer = answers.get(i);
            Change change = new Change(decisions.get(i), answer.action(), answer.reason());
            if (answer instanceof Decision.Deny && isEngineFailure(answer.reason())) {
                failed.add(change);
            } else if (!change.newAction().equals(decisions.get(i).action())) {
                changed.add(change);
            }
        }
        return new Result(decisions.size(), changed, failed);
    }

    private static boolean isEngineFailure(String reason) {
        return ENGINE_FAILURES.stream().anyMatch(failure -> reason.startsWith(failure));
    }
}
