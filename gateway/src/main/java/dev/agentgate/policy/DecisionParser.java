package dev.agentgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.policy.Decision.Caching;
import dev.agentgate.policy.Decision.MaskRule;
import dev.agentgate.policy.Decision.Obligations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the {@code result} of {@code data.agentgate.decision} into a {@link Decision}, checking it
 * against the decision contract (docs/schemas/policy-decision.v1.json). Anything that does not
 * match is an {@link PolicyFailure#INVALID} deny that says what was wrong.
 */
public final class DecisionParser {

  private static final Set<String> ACTIONS = Set.of("allow", "deny", "mask", "require_approval");
  static final Set<String> STRATEGIES = Set.of("redact", "null", "hash", "partial", "email");

  /** Thrown internally when the result breaks the contract; never leaves this class. */
  private static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  public Decision parse(JsonNode result, Optional<String> decisionId) {
    try {
      return parseOrThrow(result, decisionId);
    } catch (Invalid invalid) {
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
    Caching caching = caching(result);
    return switch (action) {
      case "allow" -> new Decision.Allow(reason, decisionId, obligations(result), caching);
      case "mask" -> new Decision.Mask(reason, decisionId, masks(result), obligations(result), caching);
      case "require_approval" -> approval(result, reason, decisionId, caching);
      default -> new Decision.Deny(reason, decisionId, caching);
    };
  }

  private Decision approval(JsonNode result, String reason, Optional<String> decisionId, Caching caching) throws Invalid {
    JsonNode approval = result.get("approval");
    if (approval == null || !approval.isObject()) {
      throw new Invalid("'approval' must be an object for action require_approval");
    }
    List<String> approvers = new ArrayList<>();
    JsonNode list = approval.get("approvers");
    if (list != null) {
      if (!list.isArray()) {
        throw new Invalid("'approval.approvers' must be an array of strings");
      }
      for (JsonNode approver : list) {
        if (!approver.isTextual()) {
          throw new Invalid("'approval.approvers' must be an array of strings");
        }
        approvers.add(approver.asText());
      }
    }
    long timeoutS = optionalLong(approval, "timeout_s", 1).orElse(300L);
    String channel = approval.path("channel").isTextual() ? approval.get("channel").asText() : null;
    return new Decision.RequireApproval(reason, decisionId, approvers, channel, Duration.ofSeconds(timeoutS), caching);
  }

  private Map<String, MaskRule> masks(JsonNode result) throws Invalid {
    JsonNode masks = result.get("masks");
    if (masks == null || !masks.isObject() || masks.isEmpty()) {
      throw new Invalid("'masks' must be a non-empty object for action mask");
    }
    Map<String, MaskRule> rules = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : masks.properties()) {
      JsonNode value = entry.getValue();
      String strategy = value.isTextual() ? value.asText() : value.path("strategy").asText(null);
      if (strategy == null || !STRATEGIES.contains(strategy)) {
        throw new Invalid("mask for '" + entry.getKey() + "' names unknown strategy '" + strategy + "' (expected one of " + STRATEGIES + ")");
      }
      Map<String, Object> params = new LinkedHashMap<>();
      JsonNode paramsNode = value.path("params");
      if (!paramsNode.isMissingNode() && !paramsNode.isObject()) {
        throw new Invalid("'params' of the mask for '" + entry.getKey() + "' must be an object");
      }
      paramsNode.properties().forEach(p -> params.put(p.getKey(), p.getValue().isNumber() ? p.getValue().numberValue() : p.getValue().asText()));
      rules.put(entry.getKey(), new MaskRule(strategy, params));
    }
    return rules;
  }

  private Obligations obligations(JsonNode result) throws Invalid {
    JsonNode node = result.get("obligations");
    if (node == null || node.isNull()) {
      return Obligations.NONE;
    }
    if (!node.isObject()) {
      throw new Invalid("'obligations' must be an object");
    }
    return new Obligations(optionalLong(node, "max_rows", 0), optionalLong(node, "statement_timeout_ms", 1).map(Duration::ofMillis));
  }

  private Caching caching(JsonNode result) throws Invalid {
    Optional<Long> ttl = optionalLong(result, "cache_ttl_s", 0);
    String key = result.path("cache_key").asText("sql");
    if (!key.equals("sql") && !key.equals("digest")) {
      throw new Invalid("'cache_key' must be \"sql\" or \"digest\", was '" + key + "'");
    }
    JsonNode reask = result.get("reask_on_execute");
    if (reask != null && !reask.isBoolean()) {
      throw new Invalid("'reask_on_execute' must be a boolean");
    }
    return new Caching(Duration.ofSeconds(ttl.orElse(0L)), key.equals("digest"), reask != null && reask.asBoolean());
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

  private static String kind(JsonNode node) {
    return node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
