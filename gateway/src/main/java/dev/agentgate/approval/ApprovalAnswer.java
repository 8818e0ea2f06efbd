package dev.agentgate.approval;

import java.util.Objects;

/** What the gateway does with a statement that needed approval. */
public sealed interface ApprovalAnswer {

    /**
     * The statement may run: its request was approved (hold mode), or an earlier approval's grant covers it.
     *
     * @param approvedBy who approved, for the session's record
     */
    record Granted(String requestId, String approvedBy) implements ApprovalAnswer {
        public Granted {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(approvedBy, "approvedBy");
        }
    }

    /** The statement must not run; the client is told {@code message}. */
    record Refused(String requestId, String message) implements ApprovalAnswer {
        public Refused {
            Objects.requireNonNull(message, "message");
        }
    }
}
