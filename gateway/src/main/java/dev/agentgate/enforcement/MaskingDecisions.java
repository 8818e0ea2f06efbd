package dev.agentgate.enforcement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementType;
import dev.agentgate.analysis.lineage.CatalogTable;
import dev.agentgate.analysis.lineage.ColumnLineage;
import dev.agentgate.analysis.lineage.MaskedColumns;
import dev.agentgate.analysis.lineage.StatementLineage;
import dev.agentgate.enforcement.catalog.TargetCatalogs;
import dev.agentgate.enforcement.catalog.ViewsRead;
import dev.agentgate.enforcement.masking.LineageMasking;
import dev.agentgate.enforcement.masking.MaskingRule;
import dev.agentgate.enforcement.masking.MaskingRules;
import dev.agentgate.enforcement.masking.StatementMasks;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionFacts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The second phase of a command some of whose statements the policy decided to {@code mask}: each such statement's
 * column lineage is traced and the policy asked again with it ({@link LineageQuestion}); that answer is final
 * (unless the first answer said it stands for every lineage without masked uses, and this one has none). A
 * deny or {@code require_approval} refuses the command; {@code mask} adds its masks to the first answer's; {@code
 * allow} keeps the first answer's masks (a second answer adds masks, never removes them). The command then
 * proceeds with a {@link LineageMasking} of its response.
 */
final class MaskingDecisions {

    /** A view redefined between tracing and checking gets one more trace with its new definition. */
    private static final int TRACES_PER_STATEMENT = 2;

    private final ColumnLineage lineage;
    private final TargetCatalogs catalogs;
    private final MaskingRules rules;
    private final LineageQuestion question;
    private final Executor analysisExecutor;
    private final MaskedShapes shapes;

    /** @param shapes where settled single-statement queries are kept for their shape; null for nowhere */
    MaskingDecisions(
            ColumnLineage lineage,
            TargetCatalogs catalogs,
            MaskingRules rules,
            LineageQuestion question,
            Executor analysisExecutor,
            MaskedShapes shapes) {
        this.shapes = shapes;
        this.lineage = lineage;
        this.catalogs = catalogs;
        this.rules = rules;
        this.question = question;
        this.analysisExecutor = analysisExecutor;
    }

    /** One statement, settled: its final decision and masks, or the refusal of the whole command. */
    /** @param reuse how both answers allow the settled decision to be reused */
    private record Settled(
            Decision decision,
            StatementMasks masks,
            Refusal refusal,
            Set<CatalogTable> viewsRead,
            Decision.Caching reuse,
            Supplier<JsonNode> askedWith) {
        Settled(Decision decision, StatementMasks masks) {
            this(decision, masks, null, Set.of(), Decision.Caching.NEVER, null);
        }

        static Settled refused(String message, Decision decision) {
            return new Settled(decision, null, new Refusal(message, decision), Set.of(), Decision.Caching.NEVER, null);
        }

        /** This, settled by the second question, asked with {@code input}. */
        Settled askedWith(Supplier<JsonNode> input) {
            return new Settled(decision, masks, refusal, viewsRead, reuse, input);
        }
    }

    /** Why the whole command is refused. */
    private record Refusal(String message, Decision decision) {
        GateResult.Refuse with(PolicyInputs inputs) {
            return new GateResult.Refuse(
                    StatementGate.ACCESS_DENIED, StatementGate.ACCESS_DENIED_STATE, message, decision, inputs);
        }
    }

    /** A statement's lineage and the views it was traced through, whose definitions the server confirmed after. */
    private record Traced(StatementLineage lineage, Set<CatalogTable> viewsRead) {}

    /**
     * Settles a command whose first decisions are each allow or mask, at least one mask.
     *
     * @param sessions the session as each statement runs in it (after the USEs before it); one for a command without SQL
     */
    CompletableFuture<GateResult> decide(
            Identity identity,
            List<SessionFacts> sessions,
            PolicyQuestion command,
            List<StatementFacts> statements,
            List<Decision> first,
            PolicyInputs firstInputs) {
        long catalogVersion = shapes == null ? 0 : shapes.catalogVersion(sessions.get(0));
        List<CompletableFuture<Settled>> settling = new ArrayList<>();
        boolean schemaChangedBefore = false;
        for (int i = 0; i < first.size(); i++) {
            String which = DenyMessages.which(i, first.size());
            StatementFacts statement = statements.isEmpty() ? null : statements.get(i);
            settling.add(
                    settle(identity, sessions.get(i), command, statement, first.get(i), which, schemaChangedBefore));
            schemaChangedBefore |= statement != null && SchemaChanges.isDdl(statement);
        }
        return CompletableFuture.allOf(settling.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> {
                    List<Decision> decisions = new ArrayList<>();
                    List<StatementMasks> masks = new ArrayList<>();
                    Set<CatalogTable> viewsRead = new HashSet<>();
                    PolicyInputs inputs = firstInputs;
                    for (int i = 0; i < settling.size(); i++) {
                        Settled settled = settling.get(i).join();
                        if (settled.askedWith() != null) {
                            inputs = inputs.with(i, settled.askedWith());
                        }
                    }
                    for (CompletableFuture<Settled> future : settling) {
                        Settled settled = future.join();
                        if (settled.refusal() != null) {
                            return settled.refusal().with(inputs);
                        }
                        decisions.add(settled.decision());
                        masks.add(settled.masks());
                        viewsRead.addAll(settled.viewsRead());
                    }
                    if (shapes != null && statements.size() == 1 && viewsRead.isEmpty()) {
                        Settled only = settling.get(0).join();
                        shapes.remember(
                                identity,
                                sessions.get(0),
                                command,
                                catalogVersion,
                                statements.get(0),
                                only.reuse(),
                                only.decision(),
                                only.masks(),
                                only.askedWith() != null);
                    }
                    return new GateResult.Proceed(
                            statements, decisions, new LineageMasking(masks, rules.defaultRedact(), viewsRead), inputs);
                });
    }

    /** @param schemaChangedBefore a DDL statement comes earlier in the command: the catalog does not show its effect yet */
    private CompletableFuture<Settled> settle(
            Identity identity,
            SessionFacts session,
            PolicyQuestion command,
            StatementFacts statement,
            Decision first,
            String which,
            boolean schemaChangedBefore) {
        if (!(first instanceof Decision.Mask mask)) {
            return CompletableFuture.completedFuture(
                    new Settled(first, StatementMasks.unmasked(singleResult(statement))));
        }
        List<MaskingRule> firstRules;
        try {
            firstRules = rules.of(mask.masks());
        } catch (IllegalArgumentException unusable) {
            return CompletableFuture.completedFuture(
                    Settled.refused(DenyMessages.unusableMasks(mask, which, unusable.getMessage()), mask));
        }
        if (statement == null) {
            // A command without SQL has no lineage to ask about: its results are masked whole.
            return CompletableFuture.completedFuture(new Settled(mask, new StatementMasks(firstRules, null, false)));
        }
        return CompletableFuture.supplyAsync(
                        () -> schemaChangedBefore
                                ? new Traced(
                                        incomplete(
                                                statement,
                                                "an earlier statement of the same command changes the schema"),
                                        Set.of())
                                : lineageOf(
                                        statement,
                                        session,
                                        MaskedColumns.of(mask.masks().keySet())),
                        analysisExecutor)
                .thenCompose(traced -> {
                    if (answersForLineage(mask, traced.lineage())) {
                        return CompletableFuture.completedFuture(
                                settled(mask, firstRules, mask, statement, traced, which));
                    }
                    Supplier<JsonNode> input = question.input(identity, session, command, statement, traced.lineage());
                    return question.ask(identity, session, command, statement, traced.lineage(), input)
                            .thenApply(second -> settled(mask, firstRules, second, statement, traced, which)
                                    .askedWith(input));
                });
    }

    /**
     * Whether the first answer is already the answer to the question with this lineage: the policy said so ({@code
     * ask_with_lineage: if_masked_uses}) for every lineage without masked uses. Only a complete lineage is known to
     * have none: an incomplete one lists no uses because they are unknown, so it is always asked about.
     */
    private static boolean answersForLineage(Decision.Mask first, StatementLineage lineage) {
        return first.askWithLineage() == Decision.LineageAsk.IF_MASKED_USES
                && lineage.complete()
                && lineage.maskedUses().isEmpty();
    }

    private Settled settled(
            Decision.Mask first,
            List<MaskingRule> firstRules,
            Decision second,
            StatementFacts statement,
            Traced traced,
            String which) {
        if (second instanceof Decision.Deny) {
            return Settled.refused(DenyMessages.of(second, which), second);
        }
        if (second instanceof Decision.RequireApproval) {
            // Approval is asked for on the statement's first decision; the lineage question cannot start one.
            return Settled.refused(
                    DenyMessages.approvalImpossible(
                            second, which, "the policy asked for it only in its answer about masked columns"),
                    second);
        }
        List<MaskingRule> all = new ArrayList<>(firstRules);
        if (second instanceof Decision.Mask more) {
            Map<String, Decision.MaskRule> added = new LinkedHashMap<>(more.masks());
            added.entrySet()
                    .removeIf(
                            repeated -> repeated.getValue().equals(first.masks().get(repeated.getKey())));
            try {
                all.addAll(rules.of(added));
            } catch (IllegalArgumentException unusable) {
                return Settled.refused(DenyMessages.unusableMasks(more, which, unusable.getMessage()), more);
            }
        }
        boolean singleResult = singleResult(statement) && traced.lineage().complete();
        return new Settled(
                LineageQuestion.combined(first, second),
                new StatementMasks(all, traced.lineage(), singleResult),
                null,
                traced.viewsRead(),
                bothAllow(first.caching(), second.caching()),
                null);
    }

    private static Decision.Caching bothAllow(Decision.Caching first, Decision.Caching second) {
        return new Decision.Caching(
                first.ttl().compareTo(second.ttl()) < 0 ? first.ttl() : second.ttl(),
                first.byDigest() && second.byDigest(),
                first.reaskOnExecute() || second.reaskOnExecute());
    }

    /**
     * The lineage of one statement; whatever goes wrong makes it incomplete (and so masked whole), never an error.
     * The views it was traced through are then read again from the server: a view redefined by another client
     * since the catalog cached it is traced once more with its current definition, and if it changes again
     * meanwhile, the lineage is incomplete.
     */
    private Traced lineageOf(StatementFacts statement, SessionFacts session, MaskedColumns masked) {
        for (int attempt = 0; attempt < TRACES_PER_STATEMENT; attempt++) {
            ViewsRead catalog = new ViewsRead(catalogs.of(session.target()));
            StatementLineage traced = traceWith(catalog, statement, session, masked);
            Set<CatalogTable> views = catalog.views();
            if (catalogs.changedViews(session.target(), views).isEmpty()) {
                return new Traced(traced, views);
            }
        }
        return new Traced(incomplete(statement, "a view it reads was redefined while it was being traced"), Set.of());
    }

    private StatementLineage traceWith(
            ViewsRead catalog, StatementFacts statement, SessionFacts session, MaskedColumns masked) {
        try {
            List<StatementLineage> traced = lineage.analyze(statement.sql(), session.database(), catalog, masked);
            return traced.size() == 1
                    ? traced.get(0)
                    : incomplete(statement, "the statement was traced as " + traced.size() + " statements");
        } catch (RuntimeException failed) {
            return incomplete(
                    statement,
                    "lineage could not be traced: " + failed.getClass().getSimpleName());
        }
    }

    private static StatementLineage incomplete(StatementFacts statement, String reason) {
        return new StatementLineage(statement.sql(), List.of(), false, reason, List.of());
    }

    /** Whether the statement answers with exactly one result (a result set, an OK or an error). */
    private static boolean singleResult(StatementFacts statement) {
        return statement != null
                && statement.parsed()
                && statement.type() != StatementType.CALL
                && statement.type() != StatementType.EXECUTE;
    }
}
