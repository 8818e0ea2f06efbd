package dev.agentgate.enforcement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.PolicyEngine;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A policy engine for tests: records every input and answers with a decision computed from it. */
final class RecordingEngine implements PolicyEngine {

    final List<JsonNode> inputs = new CopyOnWriteArrayList<>();
    private final Function<JsonNode, Decision> answer;

    RecordingEngine(Function<JsonNode, Decision> answer) {
        this.answer = answer;
    }

    @Override
    public CompletableFuture<Decision> decide(JsonNode input) {
        inputs.add(input);
        return CompletableFuture.completedFuture(answer.apply(input));
    }

    @Override
    public void close() {}
}
