package dev.agentgate.enforcement;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The OPA input documents a verdict's decisions were made with, one per decision, also for a decision taken from the
 * cache (the input it would have been asked with). Each is built only when asked for, from the immutable facts the
 * decision was made with, so the event loop does no JSON work when nobody asks, and anyone may ask on any thread.
 *
 * <p>How a verdict was reached is not part of what it is: two verdicts are equal whatever their inputs.
 */
public final class PolicyInputs {

    /** No decision was asked for (a command the policy does not decide, a refusal reached without asking). */
    public static final PolicyInputs NONE = new PolicyInputs(List.of());

    private final List<Supplier<JsonNode>> documents;
    private volatile List<String> text;

    private PolicyInputs(List<Supplier<JsonNode>> documents) {
        this.documents = documents;
    }

    /** @param documents one per decision, in the decisions' order */
    public static PolicyInputs of(List<Supplier<JsonNode>> documents) {
        return documents.isEmpty() ? NONE : new PolicyInputs(List.copyOf(documents));
    }

    /** These inputs, but the decision at {@code index} was made with {@code document} (the masking's second question). */
    PolicyInputs with(int index, Supplier<JsonNode> document) {
        List<Supplier<JsonNode>> changed = new ArrayList<>(documents);
        changed.set(index, document);
        return new PolicyInputs(List.copyOf(changed));
    }

    /** The document the decision at {@code index} was made with. */
    Supplier<JsonNode> get(int index) {
        return documents.get(index);
    }

    public int size() {
        return documents.size();
    }

    /** The documents as JSON text, built on the first call (on the caller's thread) and kept. */
    public List<String> text() {
        List<String> built = text;
        if (built == null) {
            built = documents.stream()
                    .map(document -> document.get().toString())
                    .toList();
            text = built;
        }
        return built;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PolicyInputs;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "PolicyInputs[" + documents.size() + "]";
    }
}
