package dev.agentgate.enforcement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.lineage.CatalogTable;
import dev.agentgate.analysis.lineage.ColumnLineage;
import dev.agentgate.enforcement.catalog.TargetCatalogs;
import dev.agentgate.enforcement.masking.MaskingRules;
import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyEngine;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.recording.RecordingHealth;
import dev.agentgate.session.SessionFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts each client command through analysis and policy before it may reach the backend: one
 * decision per statement, and a batch runs only when every statement in it is allowed, some perhaps
 * with masks. Statements decided {@code mask} go through a second question with their column lineage
 * ({@link MaskingDecisions}); a command without masks never pays for it. Every failure on the way is
 * a refusal (fail closed).
 */
public final class StatementGate {

    private static final Logger log = LoggerFactory.getLogger(StatementGate.class);

    /** ER_TABLEACCESS_DENIED_ERROR: drivers report it as an access error (SQLSTATE 42000). */
    static final int ACCESS_DENIED = 1142;

    static final String ACCESS_DENIED_STATE = "42000";

    /** ER_OPTION_PREVENTS_STATEMENT: the server's own error for "configured so that this cannot run now". */
    static final int RECORDING_UNAVAILABLE = 1290;

    private final StatementAnalyzer analyzer;
    private final DecisionCache cache;
    private final CachingEngine engine;
    private final PolicyInput inputs;
    private final DecisionKeys keys = new DecisionKeys();
    private final CachedVerdicts cachedVerdicts;
    private final Executor analysisExecutor;
    private final TargetCatalogs catalogs;
    private final MaskingDecisions masking;
    private final DecisionTimes times = new DecisionTimes();
    private final ApprovalStep approvals;
    /** Set once at start when sessions are recorded with {@code recording.on_failure: refuse}. */
    private volatile RecordingHealth recording = RecordingHealth.ALWAYS;

    private static final GateResult.Proceed UNCHANGED_VIEWS = new GateResult.Proceed(List.of(), List.of());

    /**
     * A gate whose masked statements are traced against no catalog (every column unknown, so masked) and which
     * refuses masks with {@code hash} (no key).
     */
    public StatementGate(
            StatementAnalyzer analyzer,
            PolicyEngine engine,
            DecisionCache cache,
            PolicyInput inputs,
            Executor analysisExecutor) {
        this(analyzer, engine, cache, inputs, analysisExecutor, TargetCatalogs.NONE, new MaskingRules(null));
    }

    /**
     * @param cache decisions the policy allows to reuse; null for none
     * @param analysisExecutor where parsing and lineage run, off the network threads (CPU work with a time limit,
     *     and catalog queries that block)
     * @param catalogs what the lineage of a masked statement resolves names against
     * @param maskingRules makes the strategies of {@code mask} decisions
     */
    public StatementGate(
            StatementAnalyzer analyzer,
            PolicyEngine engine,
            DecisionCache cache,
            PolicyInput inputs,
            Executor analysisExecutor,
            TargetCatalogs catalogs,
            MaskingRules maskingRules) {
        this(analyzer, engine, cache, inputs, analysisExecutor, catalogs, maskingRules, ApprovalStep.DISABLED);
    }

    /** @param approvals what becomes of statements the policy sends for approval */
    public StatementGate(
            StatementAnalyzer analyzer,
            PolicyEngine engine,
            DecisionCache cache,
            PolicyInput inputs,
            Executor analysisExecutor,
            TargetCatalogs catalogs,
            MaskingRules maskingRules,
            ApprovalStep approvals) {
        this.approvals = approvals;
        this.analyzer = analyzer;
        this.cache = cache;
        this.engine = new CachingEngine(engine, cache);
        this.inputs = inputs;
        this.analysisExecutor = analysisExecutor;
        this.catalogs = catalogs;
        MaskedShapes shapes = cache == null
                ? null
                : new MaskedShapes(cache.maxEntries(), analyzer, keys, catalogs, maskingRules.defaultRedact(), inputs);
        this.cachedVerdicts = cache == null ? null : new CachedVerdicts(analyzer, cache, keys, inputs, shapes);
        this.masking = new MaskingDecisions(
                new ColumnLineage(analyzer),
                catalogs,
                maskingRules,
                new LineageQuestion(this.engine, inputs, keys),
                analysisExecutor,
                shapes);
    }

    /** Completes, on an arbitrary thread, with the verdict on the whole command; never exceptionally. */
    public CompletableFuture<GateResult> check(Identity identity, SessionFacts session, PolicyQuestion question) {
        GateResult unrecorded = refusedUnrecorded();
        if (unrecorded != null) {
            return CompletableFuture.completedFuture(unrecorded);
        }
        long started = System.nanoTime();
        GateResult cached = cachedVerdicts == null ? null : cachedVerdicts.find(identity, session, question);
        if (cached != null) {
            times.record(System.nanoTime() - started);
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<Void> clientGone = new CompletableFuture<>();
        return cancelling(
                clientGone,
                timed(
                        started,
                        guarded(() -> CompletableFuture.supplyAsync(
                                        () -> statementsOf(question, session), analysisExecutor)
                                .thenCompose(statements ->
                                        decideAll(identity, session, question, statements, clientGone)))));
    }

    /**
     * Decides a command about statements analysed before, without analysing again: an EXECUTE of a
     * prepared statement is asked with the facts of its PREPARE. Completes like {@link #check(Identity,
     * SessionFacts, PolicyQuestion)}.
     */
    public CompletableFuture<GateResult> check(
            Identity identity, SessionFacts session, PolicyQuestion question, List<StatementFacts> statements) {
        GateResult unrecorded = refusedUnrecorded();
        if (unrecorded != null) {
            return CompletableFuture.completedFuture(unrecorded);
        }
        CompletableFuture<Void> clientGone = new CompletableFuture<>();
        return cancelling(
                clientGone,
                timed(
                        System.nanoTime(),
                        guarded(() -> decideAll(identity, session, question, List.copyOf(statements), clientGone))));
    }

    /** Statements are refused while {@code health} gives a reason (the session recording cannot keep them). */
    public void refuseWhile(RecordingHealth health) {
        this.recording = health;
    }

    /** ER_OPTION_PREVENTS_STATEMENT while the recording cannot be written; null while it can. */
    private GateResult refusedUnrecorded() {
        return recording
                .refusal()
                .<GateResult>map(why -> new GateResult.Refuse(
                        RECORDING_UNAVAILABLE,
                        "HY000",
                        "agentgate refuses statements while they cannot be recorded (recording.on_failure: refuse): "
                                + why,
                        null))
                .orElse(null);
    }

    /**
     * The caller cancels the verdict when its client goes away (PolicyCheckpoint#abandon): {@code clientGone} then
     * completes, and a statement held for approval gives up its request.
     */
    private static CompletableFuture<GateResult> cancelling(
            CompletableFuture<Void> clientGone, CompletableFuture<GateResult> verdict) {
        verdict.whenComplete((result, error) -> {
            if (verdict.isCancelled()) {
                clientGone.complete(null);
            }
        });
        return verdict;
    }

    /**
     * Whether the masking of a prepared statement may be used for one more EXECUTE: only while the server still
     * defines every view its lineage was traced through as it did at PREPARE. Completes (on an arbitrary thread)
     * with a proceed that adds no masks, or a refusal that asks for the statement to be prepared again; never
     * exceptionally.
     */
    public CompletableFuture<GateResult> recheckViews(SessionFacts session, Set<CatalogTable> viewsRead) {
        return guarded(() -> CompletableFuture.supplyAsync(
                () -> {
                    Set<CatalogTable> changed = catalogs.changedViews(session.target(), viewsRead);
                    if (changed.isEmpty()) {
                        return UNCHANGED_VIEWS;
                    }
                    CatalogTable view = changed.iterator().next();
                    log.info(
                            "execute refused: view {}.{} was redefined since the statement was prepared",
                            view.schema(),
                            view.name());
                    return new GateResult.Refuse(
                            ACCESS_DENIED,
                            ACCESS_DENIED_STATE,
                            "Access denied by agentgate: view " + view.schema() + "." + view.name()
                                    + " was redefined since this statement was prepared; prepare it again",
                            null);
                },
                analysisExecutor));
    }

    /** The revision of the policy bundle(s) the engine answered with last, null when unknown. */
    public String policyRevision() {
        return engine.policyRevision();
    }

    /** How long commands waited for their verdicts here, for {@code /metrics} and the benchmark. */
    public DecisionTimes decisionTimes() {
        return times;
    }

    private CompletableFuture<GateResult> timed(long started, CompletableFuture<GateResult> verdict) {
        verdict.whenComplete((result, error) -> times.record(System.nanoTime() - started));
        return verdict;
    }

    private static CompletableFuture<GateResult> guarded(Supplier<CompletableFuture<GateResult>> deciding) {
        CompletableFuture<GateResult> result;
        try {
            result = deciding.get();
        } catch (RuntimeException rejected) {
            result = CompletableFuture.failedFuture(rejected);
        }
        return result.exceptionally(error -> {
            log.error("policy check failed; refusing the statement", error);
            return new GateResult.Refuse(
                    ACCESS_DENIED,
                    ACCESS_DENIED_STATE,
                    "Access denied by agentgate: the statement could not be checked against the policy",
                    null);
        });
    }

    private List<StatementFacts> statementsOf(PolicyQuestion question, SessionFacts session) {
        if (question.sql() == null) {
            return List.of();
        }
        String database = session.database();
        List<StatementFacts> statements =
                new ArrayList<>(analyzer.analyze(question.sql(), database, session.lexing(), session.sessionId())
                        .statements());
        // The analyzer resolves unqualified tables against one database, but after a USE in a batch the
        // statements that follow run in another: those are analysed again against it, so the policy
        // judges the tables that will really be touched.
        for (int i = 0; i < statements.size() - 1; i++) {
            String after = DatabaseChanges.databaseAfter(statements.get(i), database);
            if (!Objects.equals(after, database)) {
                database = after;
                List<StatementFacts> reanalysed = analyzer.analyze(
                                question.sql(), database, session.lexing(), session.sessionId())
                        .statements();
                for (int j = i + 1; j < statements.size(); j++) {
                    statements.set(j, reanalysed.get(j));
                }
            }
        }
        return statements;
    }

    /**
     * The hook for DDL that went through the gateway: the lineage's catalog forgets the schemas {@code statements}
     * change. The gate calls it when such statements are decided (so this session's next statement sees the
     * change); the relay may call it again once their response is complete, which also covers other sessions that
     * read the schema in between. Anything else is caught by the catalog's 60 s maximum age.
     */
    public void schemaMayHaveChanged(String target, List<StatementFacts> statements) {
        SchemaChanges.forget(catalogs, target, statements);
    }

    private CompletableFuture<GateResult> decideAll(
            Identity identity,
            SessionFacts session,
            PolicyQuestion question,
            List<StatementFacts> statements,
            CompletableFuture<Void> clientGone) {
        schemaMayHaveChanged(session.target(), statements);
        List<SessionFacts> sessions = new ArrayList<>();
        List<Supplier<JsonNode>> asked = new ArrayList<>();
        List<CompletableFuture<Decision>> decisions = new ArrayList<>();
        if (statements.isEmpty()) {
            sessions.add(session);
            decisions.add(decide(identity, session, question, null, asked));
        } else {
            // A statement after USE in the same batch runs in the new database.
            SessionFacts current = session;
            for (StatementFacts statement : statements) {
                sessions.add(current);
                decisions.add(decide(identity, current, question, statement, asked));
                current = DatabaseChanges.after(statement, current);
            }
        }
        PolicyInputs askedWith = PolicyInputs.of(asked);
        return CompletableFuture.allOf(decisions.toArray(CompletableFuture[]::new))
                .thenCompose(ignored -> {
                    List<Decision> first =
                            decisions.stream().map(CompletableFuture::join).toList();
                    GateResult denied = refusedOr(first, null, askedWith);
                    if (denied != null) {
                        return CompletableFuture.completedFuture(denied);
                    }
                    if (first.stream().anyMatch(Decision.RequireApproval.class::isInstance)) {
                        return approvals
                                .decide(identity, sessions, question, statements, first, clientGone)
                                .thenCompose(approved -> approved instanceof GateResult.Proceed proceed
                                        ? allowedOrMasked(
                                                        identity,
                                                        sessions,
                                                        question,
                                                        statements,
                                                        proceed.decisions(),
                                                        askedWith)
                                                .thenApply(result -> result instanceof GateResult.Proceed checked
                                                        ? checked.withApprovedRows(proceed.approvedRows())
                                                        : result)
                                        : CompletableFuture.completedFuture(
                                                ((GateResult.Refuse) approved).withInputs(askedWith)));
                    }
                    return allowedOrMasked(identity, sessions, question, statements, first, askedWith);
                });
    }

    private CompletableFuture<GateResult> allowedOrMasked(
            Identity identity,
            List<SessionFacts> sessions,
            PolicyQuestion question,
            List<StatementFacts> statements,
            List<Decision> decisions,
            PolicyInputs askedWith) {
        boolean masks = decisions.stream().anyMatch(Decision.Mask.class::isInstance);
        return masks
                ? masking.decide(identity, sessions, question, statements, decisions, askedWith)
                : CompletableFuture.completedFuture(
                        new GateResult.Proceed(statements, decisions, ResponseMasking.NONE, askedWith));
    }

    /** @param asked gets the input the decision is (or would be) asked with */
    private CompletableFuture<Decision> decide(
            Identity identity,
            SessionFacts session,
            PolicyQuestion question,
            StatementFacts statement,
            List<Supplier<JsonNode>> asked) {
        DecisionKeys.Keys cachedUnder =
                cache == null ? null : keys.forStatement(identity, session, question, statement);
        Supplier<JsonNode> input = () -> inputs.build(identity, session, question.command(), statement);
        asked.add(input);
        return engine.decide(cachedUnder, input);
    }

    /**
     * The refusal of the first statement whose decision is a deny; else {@code otherwise} (every decision is allow,
     * mask or {@code require_approval}, which {@link ApprovalStep} handles).
     *
     * @param inputs what the decisions were made with
     */
    static GateResult refusedOr(List<Decision> decisions, GateResult otherwise, PolicyInputs inputs) {
        for (int i = 0; i < decisions.size(); i++) {
            Decision decision = decisions.get(i);
            if (decision instanceof Decision.Deny) {
                return new GateResult.Refuse(
                        ACCESS_DENIED,
                        ACCESS_DENIED_STATE,
                        DenyMessages.of(decision, DenyMessages.which(i, decisions.size())),
                        decision,
                        inputs);
            }
        }
        return otherwise;
    }
}
