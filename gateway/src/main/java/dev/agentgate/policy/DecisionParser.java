package dev.agentgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.policy.Decision.Caching;
import dev.agentgate.policy.Decision.MaskRule;
import dev.agentgate.policy.Decision.Obligations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns the {@code result} of {@code data.agentgate.decision} into a {@link Decision}, validating it
 * against the decision contract (docs/schemas/policy-decision.v1.json, the packaged file itself). Anything
 * that does not validate is an {@link PolicyFailure#INVALID} deny that says what was wrong.
 */
public final class DecisionParser {

    private static final Set<String> ACTIONS = Set.of("allow", "deny", "mask", "require_approval");
    // Sorted sets, so that the messages naming them read the same on every run.
    static final Set<String> STRATEGIES = sorted("redact", "null", "hash", "partial", "email");
    private static final Set<String> MASK_FIELDS = sorted("strategy", "params");
    private static final Set<String> APPROVAL_FIELDS = sorted(
            "approvers", "channel", "timeout_s", "mode", "min_approvals", "strength", "grant_uses", "grant_window_s");
    private static final Set<String> APPROVAL_MODES = sorted("hold", "ticket");
    private static final Set<String> APPROVAL_STRENGTHS = sorted("any", "sso");
    private static final Set<String> OBLIGATIONS =
            sorted("idle_timeout_s", "max_rows", "max_session_s", "statement_timeout_ms");
    // schema.table.column, each part a glob without dots (policy-decision.v1.json, masks.propertyNames)
    private static final Pattern COLUMN_PATTERN = Pattern.compile("[^.]+\\.[^.]+\\.[^.]+");

    private static final DecisionSchema SCHEMA = new DecisionSchema();

    /** Thrown internally when the result breaks the contract; never leaves this class. */
    private static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public Decision parse(JsonNode result, Optional<String> decisionId) {
        return parse(result, decisionId, () -> {});
    }

    /** As {@link #parse(JsonNode, Optional)}, telling {@code onInvalid} when the result breaks the contract. */
    Decision parse(JsonNode result, Optional<String> decisionId, Runnable onInvalid) {
        try {
            return parseOrThrow(result, decisionId);
        } catch (Invalid invalid) {
            onInvalid.run();
            return new Decision.Deny(PolicyFailure.INVALID.describe(invalid.getMessage()), decisionId, Caching.NEVER);
        }
    }

    private Decision parseOrThrow(JsonNode result, Optional<String> decisionId) throws Invalid {
        if (result == null || !result.isObject()) {
            throw new Invalid("expected an object, got " + kind(result));
        }
        String action = requiredText(result, "action");
        if (!ACTIONS.contains(action)) {
            throw new Invalid("unknown action '" + action + "' (expected allow, deny, mask or require_approval)");
        }
        String reason = requiredText(result, "reason");
        checkBookkeeping(result);
        Caching caching = caching(result);
        Decision.LineageAsk lineageAsk = lineageAsk(result);
        // Every section present is checked, whatever the action: a decision that breaks the contract
        // anywhere comes from a broken policy and must not be trusted for the parts that look fine.
        Obligations obligations = obligations(result);
        Map<String, MaskRule> masks = action.equals("mask") || result.has("masks") ? masks(result) : Map.of();
        Decision approval = action.equals("require_approval") || result.has("approval")
                ? approval(result, reason, decisionId, caching)
                : null;
        // The published schema has the last word: whatever it rejects is a deny, also where the checks above (which
        // name the common mistakes in their own words) let it pass.
        Optional<String> violation = SCHEMA.firstViolation(result);
        if (violation.isPresent()) {
            throw new Invalid("does not match policy-decision.v1.json: " + violation.get());
        }
        return switch (action) {
            case "allow" -> new Decision.Allow(reason, decisionId, obligations, caching);
            case "mask" -> new Decision.Mask(reason, decisionId, masks, obligations, caching, lineageAsk);
            case "require_approval" -> approval;
            default -> new Decision.Deny(reason, decisionId, caching);
        };
    }

    private Decision approval(JsonNode result, String reason, Optional<String> decisionId, Caching caching)
            throws Invalid {
        JsonNode approval = result.get("approval");
        if (approval == null || !approval.isObject()) {
            throw new Invalid("'approval' must be an object (required for action require_approval)");
        }
        List<String> approvers = new ArrayList<>();
        JsonNode list = approval.get("approvers");
        if (list != null) {
            if (!list.isArray() || list.isEmpty()) {
                throw new Invalid("'approval.approvers' must be a non-empty array of strings");
            }
            for (JsonNode approver : list) {
                if (!approver.isTextual()) {
                    throw new Invalid("'approval.approvers' must be a non-empty array of strings");
                }
                approvers.add(approver.asText());
            }
        }
        JsonNode channel = approval.get("channel");
        if (channel != null && !channel.isTextual()) {
            throw new Invalid("'approval.channel' must be a string");
        }
        if (list == null && channel == null) {
            throw new Invalid("'approval' must name 'approvers' or a 'channel'");
        }
        for (Map.Entry<String, JsonNode> field : approval.properties()) {
            if (!APPROVAL_FIELDS.contains(field.getKey())) {
                throw new Invalid("unknown approval field '" + field.getKey() + "' (expected " + APPROVAL_FIELDS + ")");
            }
        }
        Optional<Long> timeoutS = optionalLong(approval, "timeout_s", 1);
        Optional<Long> grantUses = optionalLong(approval, "grant_uses", 1);
        Optional<Long> grantWindowS = optionalLong(approval, "grant_window_s", 1);
        return new Decision.RequireApproval(
                reason,
                decisionId,
                approvers,
                channel == null ? null : channel.asText(),
                timeoutS.map(Duration::ofSeconds).orElse(null),
                caching,
                optionalChoice(approval, "mode", APPROVAL_MODES).orElse(null),
                optionalLong(approval, "min_approvals", 1).orElse(1L).intValue(),
                optionalChoice(approval, "strength", APPROVAL_STRENGTHS).orElse("any"),
                grantUses.map(Long::intValue).orElse(null),
                grantWindowS.map(Duration::ofSeconds).orElse(null),
                result.has("masks") ? masks(result) : Map.of());
    }

    private static Optional<String> optionalChoice(JsonNode node, String field, Set<String> allowed) throws Invalid {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || !allowed.contains(value.asText())) {
            throw new Invalid("'approval." + field + "' must be one of " + allowed + ", got " + value);
        }
        return Optional.of(value.asText());
    }

    private Map<String, MaskRule> masks(JsonNode result) throws Invalid {
        JsonNode masks = result.get("masks");
        if (masks == null || !masks.isObject() || masks.isEmpty()) {
            throw new Invalid("'masks' must be a non-empty object (required for action mask)");
        }
        Map<String, MaskRule> rules = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : masks.properties()) {
            rules.put(entry.getKey(), maskRule(entry.getKey(), entry.getValue()));
        }
        return rules;
    }

    private static MaskRule maskRule(String column, JsonNode value) throws Invalid {
        if (!COLUMN_PATTERN.matcher(column).matches()) {
            throw new Invalid("mask column '" + column + "' must be a pattern schema.table.column");
        }
        if (!value.isObject()) {
            throw new Invalid("mask for '" + column + "' must be an object with a 'strategy', got " + kind(value));
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            if (!MASK_FIELDS.contains(field.getKey())) {
                throw new Invalid("mask for '" + column + "' has unknown field '" + field.getKey() + "' (expected "
                        + MASK_FIELDS + ")");
            }
        }
        String strategy = value.path("strategy").textValue();
        if (strategy == null || !STRATEGIES.contains(strategy)) {
            throw new Invalid("mask for '" + column + "' names unknown strategy '" + strategy + "' (expected one of "
                    + STRATEGIES + ")");
        }
        JsonNode paramsNode = value.path("params");
        if (!paramsNode.isMissingNode() && !paramsNode.isObject()) {
            throw new Invalid("'params' of the mask for '" + column + "' must be an object");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        paramsNode
                .properties()
                .forEach(p -> params.put(
                        p.getKey(),
                        p.getValue().isNumber()
                                ? p.getValue().numberValue()
                                : p.getValue().asText()));
        return new MaskRule(strategy, params);
    }

    private Obligations obligations(JsonNode result) throws Invalid {
        JsonNode node = result.get("obligations");
        if (node == null || node.isNull()) {
            return Obligations.NONE;
        }
        if (!node.isObject()) {
            throw new Invalid("'obligations' must be an object");
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!OBLIGATIONS.contains(field.getKey())) {
                throw new Invalid("unknown obligation '" + field.getKey() + "' (expected " + OBLIGATIONS
                        + "): the gateway cannot enforce it");
            }
        }
        return new Obligations(
                optionalLong(node, "max_rows", 0),
                optionalLong(node, "statement_timeout_ms", 1).map(Duration::ofMillis),
                optionalLong(node, "max_session_s", 1).map(Duration::ofSeconds),
                optionalLong(node, "idle_timeout_s", 1).map(Duration::ofSeconds));
    }

    private Caching caching(JsonNode result) throws Invalid {
        Optional<Long> ttl = optionalLong(result, "cache_ttl_s", 0);
        JsonNode keyNode = result.get("cache_key");
        String key = keyNode == null ? "sql" : keyNode.isTextual() ? keyNode.asText() : keyNode.toString();
        if (!key.equals("sql") && !key.equals("digest")) {
            throw new Invalid("'cache_key' must be \"sql\" or \"digest\", was '" + key + "'");
        }
        JsonNode reask = result.get("reask_on_execute");
        if (reask != null && !reask.isBoolean()) {
            throw new Invalid("'reask_on_execute' must be a boolean");
        }
        return new Caching(
                Duration.ofSeconds(ttl.orElse(0L)), key.equals("digest"), reask != null && reask.asBoolean());
    }

    private static Decision.LineageAsk lineageAsk(JsonNode result) throws Invalid {
        JsonNode value = result.get("ask_with_lineage");
        if (value == null || "always".equals(value.textValue())) {
            return Decision.LineageAsk.ALWAYS;
        }
        if ("if_masked_uses".equals(value.textValue())) {
            return Decision.LineageAsk.IF_MASKED_USES;
        }
        throw new Invalid("'ask_with_lineage' must be \"always\" or \"if_masked_uses\", was " + value);
    }

    /** Fields only for logs; still part of the contract, so a wrong one means a broken policy. */
    private static void checkBookkeeping(JsonNode result) throws Invalid {
        JsonNode version = result.get("version");
        if (version != null && !(version.isIntegralNumber() && version.asLong() == 1)) {
            throw new Invalid("'version' must be 1, was " + version);
        }
        JsonNode rules = result.get("rules");
        if (rules != null) {
            if (!rules.isArray()) {
                throw new Invalid("'rules' must be an array of strings, got " + kind(rules));
            }
            for (JsonNode rule : rules) {
                if (!rule.isTextual()) {
                    throw new Invalid("'rules' must be an array of strings, got an element " + rule);
                }
            }
        }
    }

    private static String requiredText(JsonNode node, String field) throws Invalid {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new Invalid("'" + field + "' must be a non-empty string, got " + kind(value));
        }
        return value.asText();
    }

    private static Optional<Long> optionalLong(JsonNode node, String field, long min) throws Invalid {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || value.asLong() < min) {
            throw new Invalid("'" + field + "' must be an integer >= " + min + ", got " + value);
        }
        return Optional.of(value.asLong());
    }

    private static Set<String> sorted(String... names) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(List.of(names)));
    }

    private static String kind(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
