package dev.agentgate.enforcement.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.analysis.lineage.OutputColumn;
import dev.agentgate.analysis.lineage.SourceColumn;
import dev.agentgate.analysis.lineage.StatementLineage;
import dev.agentgate.policy.Decision.MaskRule;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LineageMaskingTest {

    private static final SourceColumn SSN = new SourceColumn("shop", "customers", "ssn");
    private static final SourceColumn EMAIL = new SourceColumn("shop", "customers", "email");
    private static final SourceColumn NAME = new SourceColumn("shop", "customers", "name");
    private static final ColumnOrigin SSN_ORIGIN = new ColumnOrigin("shop", "customers", "ssn");
    private static final ColumnOrigin EMAIL_ORIGIN = new ColumnOrigin("shop", "customers", "email");
    private static final ColumnOrigin NAME_ORIGIN = new ColumnOrigin("shop", "customers", "name");
    private static final ColumnOrigin EXPRESSION = new ColumnOrigin("", "", "");

    private final MaskingRules factory = new MaskingRules("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));

    private List<MaskingRule> rules(Object... patternAndRule) {
        Map<String, MaskRule> masks = new LinkedHashMap<>();
        for (int i = 0; i < patternAndRule.length; i += 2) {
            masks.put((String) patternAndRule[i], (MaskRule) patternAndRule[i + 1]);
        }
        return factory.of(masks);
    }

    private static MaskRule rule(String strategy) {
        return new MaskRule(strategy, Map.of());
    }

    private static MaskRule partialKeepingLast(int n) {
        return new MaskRule("partial", Map.of("keep_last", n));
    }

    private static OutputColumn column(String name, SourceColumn... sources) {
        return new OutputColumn(name, Set.of(sources), false);
    }

    private static OutputColumn unknown(String name) {
        return new OutputColumn(name, Set.of(), true);
    }

    private static StatementLineage complete(OutputColumn... columns) {
        return new StatementLineage("SELECT ...", List.of(columns), true, null, List.of());
    }

    /** The default redact, masking NULL too: what a derived or unknown column gets without a redact/null rule. */
    private static void assertRedactsNullToo(MaskPlan plan, int column, String text) {
        MaskingStrategy strategy = plan.strategy(column).orElseThrow();
        assertThat(strategy.masksNull()).as("masks NULL").isTrue();
        assertThat(strategy.mask(null, ValueEncoding.UTF8))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo(text);
        assertThat(strategy.mask("123-45-6789".getBytes(StandardCharsets.UTF_8), ValueEncoding.UTF8))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo(text);
    }

    private LineageMasking masking(List<MaskingRule> rules, StatementLineage lineage) {
        return new LineageMasking(
                List.of(new StatementMasks(rules, lineage, lineage == null || lineage.complete())),
                factory.defaultRedact());
    }

    @Test
    void aDirectReferenceToAMaskedColumnGetsTheRulesOwnStrategy() {
        List<MaskingRule> rules = rules("shop.customers.ssn", partialKeepingLast(4));

        MaskPlan plan = masking(rules, complete(column("name", NAME), column("ssn", SSN)))
                .planFor(0, List.of(NAME_ORIGIN, SSN_ORIGIN));

        assertThat(plan.strategy(0)).isEmpty();
        assertThat(plan.strategy(1)).containsSame(rules.get(0).strategy());
    }

    @Test
    void aDerivedValueOfAColumnMaskedWithPartialIsRedactedInstead() {
        List<MaskingRule> rules = rules("shop.customers.ssn", partialKeepingLast(4));

        MaskPlan plan = masking(rules, complete(column("REVERSE(ssn)", SSN))).planFor(0, List.of(EXPRESSION));

        assertRedactsNullToo(plan, 0, "***");
    }

    @Test
    void aDerivedValueKeepsARedactRuleAndMasksNullWithTheSameText() {
        List<MaskingRule> rules = rules("shop.customers.ssn", new MaskRule("redact", Map.of("text", "[hidden]")));

        MaskPlan plan = masking(rules, complete(column("IF(SUBSTRING(ssn,1,1)='8', NULL, 'x')", SSN)))
                .planFor(0, List.of(EXPRESSION));

        assertRedactsNullToo(plan, 0, "[hidden]");
    }

    @Test
    void aDerivedValueKeepsANullRule() {
        List<MaskingRule> rules = rules("shop.customers.ssn", rule("null"));

        MaskPlan plan = masking(rules, complete(column("UPPER(ssn)", SSN))).planFor(0, List.of(EXPRESSION));

        assertThat(plan.strategy(0)).containsSame(rules.get(0).strategy());
    }

    @Test
    void aDerivedValueOfAHashedColumnIsRedactedNotHashed() {
        // hash of LEFT(card_number, 4) could be compared with hashes of texts the agent chose: a dictionary oracle
        List<MaskingRule> rules = rules("shop.customers.ssn", rule("hash"));

        MaskPlan plan = masking(rules, complete(column("LEFT(ssn, 4)", SSN))).planFor(0, List.of(EXPRESSION));

        assertRedactsNullToo(plan, 0, "***");
    }

    @Test
    void anUnknownColumnIsNeverHashed() {
        List<MaskingRule> rules = rules("shop.customers.ssn", rule("hash"));

        MaskPlan plan = masking(rules, complete(unknown("@v"))).planFor(0, List.of(EXPRESSION));

        assertRedactsNullToo(plan, 0, "***");
    }

    @Test
    void aDirectReferenceKeepsHashAndItsNulls() {
        List<MaskingRule> rules = rules("shop.customers.ssn", rule("hash"));

        MaskPlan plan = masking(rules, complete(column("ssn", SSN))).planFor(0, List.of(SSN_ORIGIN));

        assertThat(plan.strategy(0)).containsSame(rules.get(0).strategy());
        assertThat(plan.strategy(0).orElseThrow().masksNull()).isFalse();
    }

    @Test
    void aDirectReferenceWithSeveralRulesKeepsHashWhenNothingSaferMatches() {
        List<MaskingRule> rules = rules("shop.customers.ssn", rule("hash"), "*.*.ssn", partialKeepingLast(4));

        MaskPlan plan = masking(rules, complete(column("ssn", SSN))).planFor(0, List.of(SSN_ORIGIN));

        assertThat(plan.strategy(0)).containsSame(rules.get(0).strategy());
    }

    @Test
    void aColumnWhoseOriginNamesAnotherColumnThanItsSourceIsDerived() {
        List<MaskingRule> rules = rules("shop.customers.ssn", rule("email"));

        MaskPlan plan = masking(rules, complete(column("ssn", SSN))).planFor(0, List.of(EMAIL_ORIGIN));

        assertRedactsNullToo(plan, 0, "***");
    }

    @Test
    void aColumnWithSeveralSourcesIsDerived() {
        List<MaskingRule> rules = rules("shop.customers.ssn", partialKeepingLast(4));

        MaskPlan plan = masking(rules, complete(column("ssn", SSN, NAME))).planFor(0, List.of(SSN_ORIGIN));

        assertRedactsNullToo(plan, 0, "***");
    }

    @Test
    void anUnknownColumnIsMaskedWithTheSafestRuleOfTheStatement() {
        List<MaskingRule> rules =
                rules("shop.customers.ssn", partialKeepingLast(4), "shop.customers.email", rule("null"));

        MaskPlan plan = masking(rules, complete(unknown("@v"))).planFor(0, List.of(EXPRESSION));

        assertThat(plan.strategy(0)).containsSame(rules.get(1).strategy());
    }

    @Test
    void severalMatchingRulesPreferRedactThenNullThenHash() {
        List<MaskingRule> rules = rules(
                "shop.customers.ssn",
                rule("hash"),
                "*.*.ssn",
                rule("null"),
                "shop.*.ssn",
                new MaskRule("redact", Map.of("text", "X")));

        MaskPlan plan = masking(rules, complete(column("ssn", SSN))).planFor(0, List.of(SSN_ORIGIN));

        assertThat(plan.strategy(0)).containsSame(rules.get(2).strategy());
    }

    @Test
    void severalMatchingRulesWithoutASafeOneFallBackToRedact() {
        List<MaskingRule> rules = rules("shop.customers.ssn", partialKeepingLast(4), "*.*.ssn", rule("email"));

        MaskPlan plan = masking(rules, complete(column("ssn", SSN))).planFor(0, List.of(SSN_ORIGIN));

        assertThat(plan.strategy(0)).containsSame(factory.defaultRedact());
    }

    @Test
    void theBackendsOriginAddsAMaskTheLineageDidNotSee() {
        List<MaskingRule> rules = rules("shop.customers.ssn", rule("null"));

        MaskPlan plan = masking(rules, complete(column("x", NAME))).planFor(0, List.of(SSN_ORIGIN));

        assertThat(plan.strategy(0)).containsSame(rules.get(0).strategy());
    }

    @Test
    void patternsMatchIgnoringCaseAndWithWildcards() {
        List<MaskingRule> rules = rules("SHOP.Cust*.SSN", rule("null"));

        MaskPlan plan = masking(rules, complete(column("ssn", SSN))).planFor(0, List.of(SSN_ORIGIN));

        assertThat(plan.strategy(0)).containsSame(rules.get(0).strategy());
    }

    @Test
    void aResultWiderThanItsLineageIsMaskedWhole() {
        List<MaskingRule> rules = rules("shop.customers.ssn", partialKeepingLast(4));

        MaskPlan plan = masking(rules, complete(column("name", NAME))).planFor(0, List.of(NAME_ORIGIN, NAME_ORIGIN));

        assertRedactsNullToo(plan, 0, "***");
        assertRedactsNullToo(plan, 1, "***");
    }

    @Test
    void anIncompleteLineageMasksTheResultWhole() {
        List<MaskingRule> rules = rules("shop.customers.ssn", rule("null"));
        StatementLineage incomplete =
                new StatementLineage("SELECT ...", List.of(column("name", NAME)), false, "table missing", List.of());

        MaskPlan plan = masking(rules, incomplete).planFor(0, List.of(NAME_ORIGIN));

        assertThat(plan.strategy(0)).containsSame(rules.get(0).strategy());
    }

    @Test
    void aMaskedStatementWithoutLineageIsMaskedWhole() {
        List<MaskingRule> rules = rules("shop.customers.ssn", rule("null"));

        MaskPlan plan = masking(rules, null).planFor(0, List.of(NAME_ORIGIN, EXPRESSION));

        assertThat(plan.lastMaskedColumn()).isEqualTo(1);
    }

    @Test
    void aStatementAllowedWithoutMasksKeepsItsResultUntouched() {
        List<MaskingRule> rules = rules("shop.customers.ssn", rule("null"));
        LineageMasking masking = new LineageMasking(
                List.of(StatementMasks.unmasked(true), new StatementMasks(rules, complete(column("ssn", SSN)), true)),
                factory.defaultRedact());

        assertThat(masking.planFor(0, List.of(SSN_ORIGIN)).isEmpty()).isTrue();
        assertThat(masking.planFor(1, List.of(SSN_ORIGIN)).strategy(0))
                .containsSame(rules.get(0).strategy());
    }

    @Test
    void resultsAfterACallAreMaskedWholeWithTheCommandsRules() {
        List<MaskingRule> rules = rules("shop.customers.ssn", rule("null"));
        LineageMasking masking = new LineageMasking(
                List.of(
                        StatementMasks.unmasked(false),
                        new StatementMasks(rules, complete(column("name", NAME)), true)),
                factory.defaultRedact());

        assertThat(masking.planFor(0, List.of(NAME_ORIGIN)).isEmpty())
                .as("the CALL's own first result")
                .isTrue();
        assertThat(masking.planFor(1, List.of(NAME_ORIGIN, NAME_ORIGIN)).lastMaskedColumn())
                .isEqualTo(1);
        assertThat(masking.planFor(2, List.of(NAME_ORIGIN)).strategy(0))
                .containsSame(rules.get(0).strategy());
    }

    @Test
    void resultsBeyondTheLastStatementAreMaskedWhole() {
        List<MaskingRule> rules = rules("shop.customers.ssn", rule("null"));

        MaskPlan plan = masking(rules, complete(column("name", NAME))).planFor(1, List.of(NAME_ORIGIN));

        assertThat(plan.strategy(0)).containsSame(rules.get(0).strategy());
    }

    @Test
    void aPlanThatCannotBeMadeMasksEveryColumn() {
        List<MaskingRule> rules = rules("shop.customers.ssn", rule("null"));

        MaskPlan plan = masking(rules, complete(column("name", NAME))).planFor(-1, List.of(NAME_ORIGIN, EXPRESSION));

        assertThat(plan.lastMaskedColumn()).isEqualTo(1);
    }

    @Test
    void masksSomethingOnlyWhenSomeStatementHasRules() {
        assertThat(new LineageMasking(List.of(StatementMasks.unmasked(true)), factory.defaultRedact()).masksAnything())
                .isFalse();
        assertThat(masking(rules("shop.customers.ssn", rule("null")), null).masksAnything())
                .isTrue();
    }

    @Test
    void aColumnOfNoMaskedSourceIsNotMasked() {
        List<MaskingRule> rules = rules("shop.customers.ssn", rule("null"));

        MaskPlan plan = masking(rules, complete(column("email", EMAIL), column("n", new SourceColumn[0])))
                .planFor(0, List.of(EMAIL_ORIGIN, EXPRESSION));

        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void theLineageTracesAColumnToExactlyTheBaseColumnsItReads() {
        LineageMasking masking = masking(
                rules("shop.customers.ssn", rule("redact")),
                complete(column("name", NAME), column("both", NAME, EMAIL), unknown("x")));

        assertThat(masking.tracesTo(0, 0, NAME_ORIGIN)).isTrue();
        assertThat(masking.tracesTo(0, 0, new ColumnOrigin("shop", "c", "name")))
                .isFalse();
        assertThat(masking.tracesTo(0, 0, SSN_ORIGIN)).isFalse();
        assertThat(masking.tracesTo(0, 1, EMAIL_ORIGIN)).isTrue();
        assertThat(masking.tracesTo(0, 2, NAME_ORIGIN)).isFalse();
        assertThat(masking.tracesTo(0, 0, EXPRESSION)).isFalse();
        assertThat(masking.tracesTo(1, 0, NAME_ORIGIN)).isFalse();
    }

    @Test
    void theSameResultColumnsGetTheSamePlanWithoutMatchingTheRulesAgain() {
        LineageMasking masking = masking(
                rules("shop.customers.ssn", rule("redact")), complete(column("name", NAME), column("ssn", SSN)));

        MaskPlan first = masking.planFor(0, List.of(NAME_ORIGIN, SSN_ORIGIN));

        assertThat(masking.planFor(0, List.of(NAME_ORIGIN, SSN_ORIGIN))).isSameAs(first);
    }

    @Test
    void otherResultColumnsGetAPlanOfTheirOwnAfterAPlanWasRemembered() {
        LineageMasking masking = masking(
                rules("shop.customers.ssn", rule("redact")), complete(column("name", NAME), column("ssn", SSN)));
        masking.planFor(0, List.of(NAME_ORIGIN, SSN_ORIGIN));

        MaskPlan renamed = masking.planFor(0, List.of(NAME_ORIGIN, EMAIL_ORIGIN));

        assertThat(renamed.strategy(0)).isEmpty();
        assertThat(renamed.strategy(1)).isPresent();
    }
}
