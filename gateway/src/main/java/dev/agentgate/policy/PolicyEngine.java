package dev.agentgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/** Decides statements. Implementations never complete exceptionally: failures are denies. */
public interface PolicyEngine extends AutoCloseable {

    /**
     * Asks for the decision on one statement.
     *
     * @param input the policy input document (docs/schemas/policy-input.v1.json)
     * @return completes on an arbitrary thread with the decision, or with a fail-closed deny
     */
    CompletableFuture<Decision> decide(JsonNode input);

    /**
     * The revision of the policy bundle(s) the engine answered with last (OPA's provenance), null when unknown: what
     * a recording keeps with each decision, so a decision can be traced to the policy that made it.
     */
    default String policyRevision() {
        return null;
    }

    @Override
    void close();
}
