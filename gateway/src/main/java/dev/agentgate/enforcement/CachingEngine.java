package dev.agentgate.enforcement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyEngine;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Asks the policy engine, reusing a decision the cache holds under the question's keys and storing new ones. */
final class CachingEngine {

    private final PolicyEngine engine;
    private final DecisionCache cache;

    /** @param cache null when decisions are not cached */
    CachingEngine(PolicyEngine engine, DecisionCache cache) {
        this.engine = engine;
        this.cache = cache;
    }

    String policyRevision() {
        return engine.policyRevision();
    }

    boolean caches() {
        return cache != null;
    }

    /**
     * @param keys where the decision is cached; null when it must not be (no cache)
     * @param input the policy input, built only when the cache has no answer
     */
    CompletableFuture<Decision> decide(DecisionKeys.Keys keys, Supplier<JsonNode> input) {
        if (keys != null) {
            Decision hit = cache.get(keys.exact(), keys.digest()).orElse(null);
            if (hit != null) {
                return CompletableFuture.completedFuture(hit);
            }
        }
        return engine.decide(input.get()).thenApply(decision -> {
            if (keys != null) {
                cache.put(keys.exact(), keys.digest(), decision);
            }
            return decision;
        });
    }
}
