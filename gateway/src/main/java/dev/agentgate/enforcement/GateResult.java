package dev.agentgate.enforcement;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.policy.Decision;
import java.util.List;
import java.util.Objects;

/** The outcome of putting one client command through the policy: go on, or refuse it whole. */
public sealed interface GateResult {

    /** The OPA inputs the verdict's decisions were made with, built on demand. */
    PolicyInputs inputs();

    /**
     * Every statement was allowed (some perhaps with masks); the facts and decisions are kept for the session's
     * record, and {@code masking} says what the data path must mask in the response.
     *
     * @param approvedRows the most rows the approved statement may change; null when it is not checked
     */
    record Proceed(
            List<StatementFacts> statements,
            List<Decision> decisions,
            ResponseMasking masking,
            PolicyInputs inputs,
            ApprovedRows approvedRows)
            implements GateResult {
        public Proceed {
            statements = List.copyOf(statements);
            decisions = List.copyOf(decisions);
            Objects.requireNonNull(masking, "masking");
            Objects.requireNonNull(inputs, "inputs");
        }

        public Proceed(
                List<StatementFacts> statements,
                List<Decision> decisions,
                ResponseMasking masking,
                PolicyInputs inputs) {
            this(statements, decisions, masking, inputs, null);
        }

        public Proceed(List<StatementFacts> statements, List<Decision> decisions, ResponseMasking masking) {
            this(statements, decisions, masking, PolicyInputs.NONE);
        }

        /** A command allowed without masks. */
        public Proceed(List<StatementFacts> statements, List<Decision> decisions) {
            this(statements, decisions, ResponseMasking.NONE);
        }

        /** This verdict, reached with {@code inputs}. */
        public Proceed withInputs(PolicyInputs inputs) {
            return new Proceed(statements, decisions, masking, inputs, approvedRows);
        }

        /** This verdict, with the approved statement's effect checked against {@code approved} (null: unchecked). */
        public Proceed withApprovedRows(ApprovedRows approved) {
            return new Proceed(statements, decisions, masking, inputs, approved);
        }
    }

    /**
     * The command must not reach the backend; the client gets this error and the session goes on.
     *
     * @param errorCode MySQL error code a client maps to an access error
     */
    record Refuse(int errorCode, String sqlState, String message, Decision decision, PolicyInputs inputs)
            implements GateResult {
        public Refuse {
            Objects.requireNonNull(sqlState, "sqlState");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(inputs, "inputs");
        }

        public Refuse(int errorCode, String sqlState, String message, Decision decision) {
            this(errorCode, sqlState, message, decision, PolicyInputs.NONE);
        }

        /** This refusal, reached with {@code inputs}. */
        public Refuse withInputs(PolicyInputs inputs) {
            return new Refuse(errorCode, sqlState, message, decision, inputs);
        }
    }
}
