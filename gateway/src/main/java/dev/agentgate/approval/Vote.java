package dev.agentgate.approval;

import java.time.Instant;
import java.util.Objects;

/**
 * One approver's vote, kept as history.
 *
 * @param fromAddress where the vote came from: the client address of the approval page or admin API request, or
 *     {@code slack:<team>/<user>}
 */
public record Vote(Approver approver, Verdict verdict, Instant at, String fromAddress) {
    public Vote {
        Objects.requireNonNull(approver, "approver");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(fromAddress, "fromAddress");
    }
}
