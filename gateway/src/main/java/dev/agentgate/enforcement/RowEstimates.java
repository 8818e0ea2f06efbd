package dev.agentgate.enforcement;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.session.SessionFacts;
import java.util.concurrent.CompletableFuture;

/** Counts, before asking people, how many rows an UPDATE or DELETE would change. */
public interface RowEstimates {

    /** Counts nothing: requests carry no estimate. */
    RowEstimates NONE = (session, statement) -> CompletableFuture.completedFuture(null);

    /** Completes with the count, or null when the statement is not one that can be counted; never exceptionally. */
    CompletableFuture<Long> estimate(SessionFacts session, StatementFacts statement);
}
