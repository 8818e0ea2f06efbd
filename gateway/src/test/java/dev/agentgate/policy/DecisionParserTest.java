package dev.agentgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.testing.ContractSchemas;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decision parser enforces docs/schemas/policy-decision.v1.json: what breaks it is a deny saying why. */
class DecisionParserTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String INVALID = "policy returned an invalid decision: ";
    private final DecisionParser parser = new DecisionParser();

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("bad test JSON: " + text, e);
        }
    }

    private Decision parse(String text) {
        return parser.parse(json(text), Optional.of("d-1"));
    }

    @Test
    void anAllowCarriesItsObligationsAndCaching() {
        Decision decision = parse("""
        {"action": "allow", "reason": "allow: reads", "rules": ["allow"], "version": 1,
         "obligations": {"max_rows": 1000, "statement_timeout_ms": 5000}, "cache_ttl_s": 60, "cache_key": "digest"}""");
        assertThat(decision)
                .isEqualTo(new Decision.Allow(
                        "allow: reads",
                        Optional.of("d-1"),
                        new Decision.Obligations(Optional.of(1000L), Optional.of(Duration.ofMillis(5000))),
                        new Decision.Caching(Duration.ofSeconds(60), true, false)));
    }

    @Test
    void anAllowOfASessionCarriesItsSessionLimits() {
        Decision decision = parse("""
        {"action": "allow", "reason": "session: an hour", "obligations": {"max_session_s": 3600, "idle_timeout_s": 900}}""");
        assertThat(((Decision.Allow) decision).obligations())
                .isEqualTo(new Decision.Obligations(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(Duration.ofHours(1)),
                        Optional.of(Duration.ofMinutes(15))));
    }

    @Test
    void aSessionLimitOfZeroSecondsIsAnInvalidDecision() {
        assertThat(parse("""
        {"action": "allow", "reason": "session: none", "obligations": {"max_session_s": 0}}""").reason())
                .isEqualTo(PolicyFailure.INVALID.describe("'max_session_s' must be an integer >= 1, got 0"));
    }

    @Test
    void anAllowWithoutOptionalFieldsIsNeverCachedAndHasNoObligations() {
        assertThat(parse("{\"action\": \"allow\", \"reason\": \"ok\"}"))
                .isEqualTo(new Decision.Allow(
                        "ok", Optional.of("d-1"), Decision.Obligations.NONE, Decision.Caching.NEVER));
    }

    @Test
    void aDenyCarriesThePolicysReasonAndDecisionId() {
        assertThat(parse("{\"action\": \"deny\", \"reason\": \"readonly: no\", \"cache_ttl_s\": 5}"))
                .isEqualTo(new Decision.Deny(
                        "readonly: no", Optional.of("d-1"), new Decision.Caching(Duration.ofSeconds(5), false, false)));
    }

    @Test
    void aMaskCarriesEachColumnsStrategyAndParameters() {
        Decision decision = parse("""
        {"action": "mask", "reason": "pii: masked", "masks": {
          "*.customers.email": {"strategy": "email"},
          "*.customers.ssn": {"strategy": "partial", "params": {"keep_last": 4, "mask_char": "#"}}}}""");
        assertThat(decision)
                .isInstanceOfSatisfying(
                        Decision.Mask.class,
                        mask -> assertThat(mask.masks())
                                .isEqualTo(Map.of(
                                        "*.customers.email", new Decision.MaskRule("email", Map.of()),
                                        "*.customers.ssn",
                                                new Decision.MaskRule(
                                                        "partial", Map.of("keep_last", 4, "mask_char", "#")))));
    }

    @Test
    void aRequireApprovalCarriesApproversChannelAndTimeout() {
        Decision decision = parse("""
        {"action": "require_approval", "reason": "destructive: drop",
         "approval": {"approvers": ["dba-oncall"], "channel": "slack:#db-approvals", "timeout_s": 300}}""");
        assertThat(decision)
                .isEqualTo(new Decision.RequireApproval(
                        "destructive: drop",
                        Optional.of("d-1"),
                        List.of("dba-oncall"),
                        "slack:#db-approvals",
                        Duration.ofSeconds(300),
                        Decision.Caching.NEVER));
    }

    @Test
    void aRequireApprovalCarriesItsModeQuorumStrengthAndGrant() {
        Decision decision = parse("""
        {"action": "require_approval", "reason": "destructive: drop",
         "approval": {"approvers": ["dba-oncall", "user:alice"], "mode": "ticket", "min_approvals": 2,
                      "strength": "sso", "grant_uses": 3, "grant_window_s": 600}}""");
        assertThat(decision)
                .isEqualTo(new Decision.RequireApproval(
                        "destructive: drop",
                        Optional.of("d-1"),
                        List.of("dba-oncall", "user:alice"),
                        null,
                        null,
                        Decision.Caching.NEVER,
                        "ticket",
                        2,
                        "sso",
                        3,
                        Duration.ofSeconds(600),
                        Map.of()));
    }

    @Test
    void aPrepareDecisionMayAskToBeAskedAgainAtExecute() {
        assertThat(parse("{\"action\": \"allow\", \"reason\": \"ok\", \"reask_on_execute\": true}")
                        .caching()
                        .reaskOnExecute())
                .isTrue();
    }

    @Test
    void aMaskDecisionIsAskedAgainWithTheLineageUnlessItSaysOtherwise() {
        assertThat(((Decision.Mask) parse("""
                {"action": "mask", "reason": "pii", "masks": {"*.customers.ssn": {"strategy": "null"}}}""")).askWithLineage()).isEqualTo(Decision.LineageAsk.ALWAYS);
    }

    @Test
    void aMaskDecisionMayStandForEveryLineageWithoutMaskedUses() {
        assertThat(((Decision.Mask) parse("""
                {"action": "mask", "reason": "pii", "masks": {"*.customers.ssn": {"strategy": "null"}},
                 "ask_with_lineage": "if_masked_uses"}""")).askWithLineage()).isEqualTo(Decision.LineageAsk.IF_MASKED_USES);
    }

    static Stream<Arguments> contractViolations() {
        String allow = "\"action\": \"allow\", \"reason\": \"ok\"";
        String mask = "\"action\": \"mask\", \"reason\": \"pii\"";
        String approval = "\"action\": \"require_approval\", \"reason\": \"drop\"";
        return Stream.of(
                arguments("[\"allow\"]", "expected an object, got array"),
                arguments("{\"reason\": \"ok\"}", "'action' must be a non-empty string, got nothing"),
                arguments(
                        "{\"action\": \"launch\", \"reason\": \"ok\"}",
                        "unknown action 'launch' (expected allow, deny, mask or require_approval)"),
                arguments(
                        "{\"action\": \"ALLOW\", \"reason\": \"ok\"}",
                        "unknown action 'ALLOW' (expected allow, deny, mask or require_approval)"),
                arguments("{\"action\": \"allow\"}", "'reason' must be a non-empty string, got nothing"),
                arguments(
                        "{\"action\": \"deny\", \"reason\": \"\"}", "'reason' must be a non-empty string, got string"),
                arguments("{\"action\": \"deny\", \"reason\": 42}", "'reason' must be a non-empty string, got number"),
                arguments("{" + allow + ", \"version\": 2}", "'version' must be 1, was 2"),
                arguments("{" + allow + ", \"rules\": \"allow\"}", "'rules' must be an array of strings, got string"),
                arguments("{" + allow + ", \"rules\": [1]}", "'rules' must be an array of strings, got an element 1"),
                arguments("{" + mask + "}", "'masks' must be a non-empty object (required for action mask)"),
                arguments(
                        "{" + mask + ", \"masks\": {}}",
                        "'masks' must be a non-empty object (required for action mask)"),
                arguments(
                        "{" + mask + ", \"masks\": [\"email\"]}",
                        "'masks' must be a non-empty object (required for action mask)"),
                arguments(
                        "{" + mask + ", \"masks\": {\"shop.customers.email\": {\"strategy\": \"rot13\"}}}",
                        "mask for 'shop.customers.email' names unknown strategy 'rot13' (expected one of [email, hash, null, partial, redact])"),
                arguments(
                        "{" + mask + ", \"masks\": {\"shop.customers.email\": {}}}",
                        "mask for 'shop.customers.email' names unknown strategy 'null' (expected one of [email, hash, null, partial, redact])"),
                arguments(
                        "{" + mask + ", \"masks\": {\"shop.customers.email\": \"email\"}}",
                        "mask for 'shop.customers.email' must be an object with a 'strategy', got string"),
                arguments(
                        "{" + mask
                                + ", \"masks\": {\"shop.customers.ssn\": {\"strategy\": \"partial\", \"params\": [4]}}}",
                        "'params' of the mask for 'shop.customers.ssn' must be an object"),
                arguments(
                        "{" + mask
                                + ", \"masks\": {\"shop.customers.ssn\": {\"strategy\": \"partial\", \"keep_last\": 4}}}",
                        "mask for 'shop.customers.ssn' has unknown field 'keep_last' (expected [params, strategy])"),
                arguments(
                        "{" + mask + ", \"masks\": {\"email\": {\"strategy\": \"email\"}}}",
                        "mask column 'email' must be a pattern schema.table.column"),
                arguments(
                        "{" + allow + ", \"masks\": {\"email\": {\"strategy\": \"email\"}}}",
                        "mask column 'email' must be a pattern schema.table.column"),
                arguments("{" + approval + "}", "'approval' must be an object (required for action require_approval)"),
                arguments(
                        "{" + approval + ", \"approval\": {\"approvers\": [\"dba\"], \"mode\": \"wait\"}}",
                        "'approval.mode' must be one of [hold, ticket], got \"wait\""),
                arguments(
                        "{" + approval + ", \"approval\": {\"approvers\": [\"dba\"], \"strength\": \"mfa\"}}",
                        "'approval.strength' must be one of [any, sso], got \"mfa\""),
                arguments(
                        "{" + approval + ", \"approval\": {\"approvers\": [\"dba\"], \"min_approvals\": 0}}",
                        "'min_approvals' must be an integer >= 1, got 0"),
                arguments(
                        "{" + approval + ", \"approval\": {\"approvers\": [\"dba\"], \"grant_uses\": 0}}",
                        "'grant_uses' must be an integer >= 1, got 0"),
                arguments(
                        "{" + approval + ", \"approval\": {\"approvers\": [\"dba\"], \"approver\": \"x\"}}",
                        "unknown approval field 'approver' (expected [approvers, channel, grant_uses, grant_window_s, min_approvals, mode, strength, timeout_s])"),
                arguments(
                        "{" + approval + ", \"approval\": {\"timeout_s\": 300}}",
                        "'approval' must name 'approvers' or a 'channel'"),
                arguments(
                        "{" + approval + ", \"approval\": {\"approvers\": [], \"timeout_s\": 300}}",
                        "'approval.approvers' must be a non-empty array of strings"),
                arguments(
                        "{" + approval + ", \"approval\": {\"approvers\": [7], \"timeout_s\": 300}}",
                        "'approval.approvers' must be a non-empty array of strings"),
                arguments(
                        "{" + approval + ", \"approval\": {\"channel\": 7, \"timeout_s\": 300}}",
                        "'approval.channel' must be a string"),
                arguments(
                        "{" + approval + ", \"approval\": {\"channel\": \"slack:#db\", \"timeout_s\": 0}}",
                        "'timeout_s' must be an integer >= 1, got 0"),
                arguments(
                        "{" + allow + ", \"approval\": {\"channel\": \"slack:#db\", \"timeout_s\": \"soon\"}}",
                        "'timeout_s' must be an integer >= 1, got \"soon\""),
                arguments("{" + allow + ", \"obligations\": 5}", "'obligations' must be an object"),
                arguments(
                        "{" + allow + ", \"obligations\": {\"max_rows\": \"many\"}}",
                        "'max_rows' must be an integer >= 0, got \"many\""),
                arguments(
                        "{" + allow + ", \"obligations\": {\"max_rows\": -1}}",
                        "'max_rows' must be an integer >= 0, got -1"),
                arguments(
                        "{" + allow + ", \"obligations\": {\"statement_timeout_ms\": 0}}",
                        "'statement_timeout_ms' must be an integer >= 1, got 0"),
                arguments(
                        "{" + allow + ", \"obligations\": {\"max_bytes\": 10}}",
                        "unknown obligation 'max_bytes' (expected [idle_timeout_s, max_rows, max_session_s, statement_timeout_ms]):"
                                + " the gateway cannot enforce it"),
                arguments(
                        "{\"action\": \"deny\", \"reason\": \"no\", \"obligations\": {\"max_rows\": -1}}",
                        "'max_rows' must be an integer >= 0, got -1"),
                arguments("{" + allow + ", \"cache_ttl_s\": -1}", "'cache_ttl_s' must be an integer >= 0, got -1"),
                arguments(
                        "{" + allow + ", \"cache_ttl_s\": \"60\"}",
                        "'cache_ttl_s' must be an integer >= 0, got \"60\""),
                arguments(
                        "{" + allow + ", \"cache_key\": \"table\"}",
                        "'cache_key' must be \"sql\" or \"digest\", was 'table'"),
                arguments(
                        "{" + allow + ", \"cache_key\": null}",
                        "'cache_key' must be \"sql\" or \"digest\", was 'null'"),
                arguments("{" + allow + ", \"reask_on_execute\": \"yes\"}", "'reask_on_execute' must be a boolean"),
                arguments(
                        "{" + allow + ", \"ask_with_lineage\": \"never\"}",
                        "'ask_with_lineage' must be \"always\" or \"if_masked_uses\", was \"never\""),
                arguments(
                        "{" + allow + ", \"ask_with_lineage\": true}",
                        "'ask_with_lineage' must be \"always\" or \"if_masked_uses\", was true"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contractViolations")
    void aDecisionThatBreaksTheContractIsADenyThatSaysWhatIsWrong(String result, String problem) {
        assertThat(parse(result))
                .isEqualTo(new Decision.Deny(INVALID + problem, Optional.of("d-1"), Decision.Caching.NEVER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contractViolations")
    void everyResultTheParserRejectsIsAlsoRejectedByTheDecisionSchema(String result, String problem) {
        assertThat(ContractSchemas.DECISION.violations(json(result)))
                .as("schema violations of %s", result)
                .isNotEmpty();
    }

    static Stream<String> validDecisions() {
        return Stream.of(
                "{\"action\": \"allow\", \"reason\": \"ok\"}",
                "{\"action\": \"allow\", \"reason\": \"ok\", \"obligations\": {}, \"cache_ttl_s\": 0, \"cache_key\": \"sql\", \"rules\": []}",
                "{\"action\": \"deny\", \"reason\": \"no\", \"version\": 1}",
                "{\"action\": \"mask\", \"reason\": \"pii\", \"masks\": {\"*.customers.email\": {\"strategy\": \"redact\", \"params\": {\"text\": \"x\"}}}}",
                "{\"action\": \"require_approval\", \"reason\": \"drop\", \"approval\": {\"channel\": \"slack:#db\", \"timeout_s\": 1}}",
                "{\"action\": \"allow\", \"reason\": \"ok\", \"something_new\": true}");
    }

    @ParameterizedTest
    @MethodSource("validDecisions")
    void aResultTheDecisionSchemaAcceptsIsNotRejectedAsInvalid(String result) {
        assertThat(ContractSchemas.DECISION.violations(json(result))).isEmpty();
        assertThat(parse(result).reason()).doesNotStartWith(INVALID);
    }
}
