package dev.agentgate.approval;

import java.util.List;
import java.util.Objects;

/** What the gateway does with a statement that needed approval. */
public sealed interface ApprovalAnswer {

    /**
     * How people decided the request this answer comes from, for the session's record; null when nobody did (a
     * ticket handed out, a request that could not be stored or sent).
     */
    Resolution resolution();

    /**
     * A decided request.
     *
     * @param outcome {@code approved}, {@code denied}, {@code expired} or {@code cancelled}
     * @param approvers who voted on it ({@code issuer|subject}), in the order they voted
     */
    record Resolution(String outcome, List<String> approvers) {
        public Resolution {
            Objects.requireNonNull(outcome, "outcome");
            approvers = List.copyOf(approvers);
        }
    }

    /**
     * The statement may run: its request was approved (hold mode), or an earlier approval's grant covers it.
     *
     * @param approvedBy who approved, for the session's record
     * @param approvers who approved, one by one
     * @param approvedRows the rows approvers were shown it would change; null when they were shown no count
     */
    record Granted(String requestId, String approvedBy, List<String> approvers, Long approvedRows)
            implements ApprovalAnswer {
        public Granted {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(approvedBy, "approvedBy");
            approvers = List.copyOf(approvers);
        }

        @Override
        public Resolution resolution() {
            return new Resolution(ApprovalState.APPROVED.jsonName(), approvers);
        }
    }

    /**
     * The statement must not run; the client is told {@code message}.
     *
     * @param resolution how people decided its request; null when nobody did
     */
    record Refused(String requestId, String message, Resolution resolution) implements ApprovalAnswer {
        public Refused {
            Objects.requireNonNull(message, "message");
        }

        /** Refused before anyone decided. */
        public Refused(String requestId, String message) {
            this(requestId, message, null);
        }
    }
}
