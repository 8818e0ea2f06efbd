package dev.agentgate.policy;

/**
 * Why no valid decision could be had from the policy engine. Each kind ends in a deny; the kinds
 * exist so that operators can tell an outage from a broken policy in logs and metrics.
 */
public enum PolicyFailure {
    /** OPA could not be reached, or answered with an HTTP error. */
    UNAVAILABLE("policy engine unavailable"),
    /** OPA did not answer within the time limit. */
    TIMEOUT("policy engine did not answer in time"),
    /** Too many decisions are already waiting for OPA. */
    OVERLOADED("policy engine overloaded"),
    /** Recent calls failed; OPA is not being asked until the circuit closes again. */
    CIRCUIT_OPEN("policy engine unavailable (circuit open)"),
    /** OPA answered, but {@code data.agentgate.decision} is undefined for this input. */
    UNDEFINED("policy returned no decision"),
    /** OPA answered with something that is not a decision of the documented contract. */
    INVALID("policy returned an invalid decision");

    private final String summary;

    PolicyFailure(String summary) {
        this.summary = summary;
    }

    public String describe(String detail) {
        return detail == null || detail.isEmpty() ? summary : summary + ": " + detail;
    }
}
