package dev.agentgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgate.testing.ContractSchemas;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser and the published schema (docs/schemas/policy-decision.v1.json) agree on every decision: variants of
 * complete decisions, made by replacing each value with every other kind of JSON value, adding an unknown field
 * to each object and removing each field, are a deny exactly when the schema rejects them.
 */
class DecisionSchemaAgreementTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String INVALID = PolicyFailure.INVALID.describe("");
    private static final List<String> COMPLETE = List.of("""
      {"version": 1, "action": "allow", "reason": "allow: reads", "rules": ["allow"],
       "obligations": {"max_rows": 1000, "statement_timeout_ms": 5000},
       "cache_ttl_s": 60, "cache_key": "digest", "reask_on_execute": false}""", """
      {"version": 1, "action": "mask", "reason": "mask: pii", "rules": ["mask"],
       "masks": {"shop.customers.email": {"strategy": "email"},
                 "shop.*.ssn": {"strategy": "partial", "params": {"keep_first": 0, "keep_last": 4, "mask_char": "#"}},
                 "shop.customers.name": {"strategy": "redact", "params": {"text": "[hidden]"}},
                 "*.*.phone": {"strategy": "null", "params": {}}},
       "obligations": {"max_rows": 10}, "cache_ttl_s": 0, "cache_key": "sql"}""", """
      {"version": 1, "action": "require_approval", "reason": "ddl: needs a human", "rules": ["ddl"],
       "approval": {"approvers": ["dba-team"], "channel": "slack:#db", "timeout_s": 300}}""", """
      {"action": "deny", "reason": "deny: nope"}""", """
      {"version": 1, "action": "allow", "reason": "session: an hour", "rules": ["session"],
       "obligations": {"max_session_s": 3600, "idle_timeout_s": 900}}""");
    private static final List<String> REPLACEMENTS = List.of(
            "null",
            "true",
            "false",
            "0",
            "-1",
            "1.5",
            "2147483648",
            "\"\"",
            "\" \"",
            "\"x\"",
            "\"ALLOW\"",
            "[]",
            "[1]",
            "[\"x\"]",
            "{}",
            "{\"zz\": 1}");

    @Test
    void theGeneratedVariantsIncludeManyTheSchemaRejects() {
        long rejected = variants()
                .filter(variant -> !ContractSchemas.DECISION.violations(variant).isEmpty())
                .count();
        assertThat(rejected).isGreaterThan(500);
    }

    @Test
    void theSchemaRefusesWhatTheMaskingCannotApply() {
        assertThat(ContractSchemas.DECISION.violations(read("""
        {"action": "mask", "reason": "m", "masks": {"shop.c?stomers.email": {"strategy": "email"}}}"""))).isNotEmpty();
        assertThat(ContractSchemas.DECISION.violations(read("""
        {"action": "mask", "reason": "m", "masks": {"shop.customers.email": {"strategy": "redact", "params": {"replacement": "x"}}}}"""))).isNotEmpty();
        assertThat(ContractSchemas.DECISION.violations(read("""
        {"action": "mask", "reason": "m", "masks": {"shop.customers.ssn": {"strategy": "hash", "params": {"salt_id": "x"}}}}"""))).isNotEmpty();
        assertThat(ContractSchemas.DECISION.violations(read("""
        {"action": "mask", "reason": "m", "masks": {"shop.customers.ssn": {"strategy": "partial", "params": {"mask_char": "##"}}}}"""))).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void aDecisionIsADenyForAnInvalidDecisionExactlyWhenTheSchemaRejectsIt(JsonNode variant) {
        List<String> violations = ContractSchemas.DECISION.violations(variant);
        Decision decision = new DecisionParser().parse(variant, Optional.empty());
        boolean invalidDeny =
                decision instanceof Decision.Deny deny && deny.reason().startsWith(INVALID);
        assertThat(invalidDeny)
                .as("schema violations %s, parsed as %s", violations, decision)
                .isEqualTo(!violations.isEmpty());
    }

    static Stream<JsonNode> variants() {
        List<JsonNode> all = new ArrayList<>();
        for (String complete : COMPLETE) {
            JsonNode base = read(complete);
            all.add(base);
            mutate(base, base, all);
        }
        return all.stream();
    }

    /** Adds, for every value under {@code node}, the variants of {@code root} with that value changed. */
    private static void mutate(JsonNode root, JsonNode node, List<JsonNode> out) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            out.add(changed(root, node, copy -> ((ObjectNode) copy).put("unknown_field", 1)));
            for (String name : names) {
                out.add(changed(root, node, copy -> ((ObjectNode) copy).remove(name)));
                for (String replacement : REPLACEMENTS) {
                    out.add(changed(root, node, copy -> ((ObjectNode) copy).set(name, read(replacement))));
                }
                mutate(root, node.get(name), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                int index = i;
                for (String replacement : REPLACEMENTS) {
                    out.add(changed(root, node, copy -> ((ArrayNode) copy).set(index, read(replacement))));
                }
                mutate(root, node.get(i), out);
            }
        }
    }

    /** A deep copy of {@code root} where the copy of {@code target} (found by identity) is changed. */
    private static JsonNode changed(JsonNode root, JsonNode target, java.util.function.Consumer<JsonNode> change) {
        JsonNode copy = root.deepCopy();
        change.accept(find(root, copy, target));
        return copy;
    }

    private static JsonNode find(JsonNode original, JsonNode copy, JsonNode target) {
        if (original == target) {
            return copy;
        }
        if (original.isObject()) {
            for (Map.Entry<String, JsonNode> field : original.properties()) {
                JsonNode found = find(field.getValue(), copy.get(field.getKey()), target);
                if (found != null) {
                    return found;
                }
            }
        } else if (original.isArray()) {
            for (int i = 0; i < original.size(); i++) {
                JsonNode found = find(original.get(i), copy.get(i), target);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
