package dev.agentgate.enforcement;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.approval.Approvals;
import dev.agentgate.config.PolicyConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.enforcement.catalog.InformationSchemaCatalogs;
import dev.agentgate.enforcement.masking.MaskingRules;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.OpaCalls;
import dev.agentgate.policy.OpaClient;
import dev.agentgate.policy.OpaSettings;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.session.SessionControl;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy side of a running gateway, built from the {@code policy} config: the statement gate
 * and the resources behind it (analysis threads, OPA client, decision cache, the targets' catalogs for
 * masking), closed together.
 */
public final class PolicyEnforcement implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PolicyEnforcement.class);

    private final StatementAnalyzer analyzer;
    private final OpaClient opa;
    private final DecisionCache cache;
    private final ThreadPoolExecutor analysisThreads;
    private final InformationSchemaCatalogs catalogs;
    private final StatementGate gate;
    private final SessionAdmission sessionAdmission;

    /** Without targets: masked statements are traced against no catalog (everything they read is masked). */
    public PolicyEnforcement(PolicyConfig config) {
        this(config, List.of());
    }

    /** @param targets whose catalogs (read over JDBC as each target's service account) the lineage of masked statements uses */
    public PolicyEnforcement(PolicyConfig config, Collection<TargetConfig> targets) {
        this(config, targets, null);
    }

    /**
     * @param approvals where statements the policy sends for approval go; null to refuse them
     */
    public PolicyEnforcement(PolicyConfig config, Collection<TargetConfig> targets, Approvals approvals) {
        this(config, targets, approvals, sessionId -> Optional.empty());
    }

    /** @param sessions the live session of a session id, told how people decided the approval its statement waits for */
    public PolicyEnforcement(
            PolicyConfig config,
            Collection<TargetConfig> targets,
            Approvals approvals,
            Function<String, Optional<SessionControl>> sessions) {
        ObjectMapper mapper = new ObjectMapper();
        this.analyzer = new StatementAnalyzer(config.analysisTimeout());
        this.opa = new OpaClient(
                new OpaSettings(
                        config.opaUrl(),
                        config.decisionPath(),
                        config.timeout(),
                        config.maxConcurrent(),
                        config.circuitOpenFor()),
                mapper);
        this.cache = config.cacheMaxEntries() == 0 ? null : new DecisionCache(config.cacheMaxEntries());
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger counter = new AtomicInteger();
        // Bounded: when analysis falls this far behind, new statements are refused, not queued forever.
        this.analysisThreads = new ThreadPoolExecutor(
                threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000), runnable -> {
                    Thread thread = new Thread(runnable, "statement-analysis-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.catalogs = new InformationSchemaCatalogs(targets);
        this.gate = new StatementGate(
                analyzer,
                opa,
                cache,
                new PolicyInput(mapper),
                analysisThreads,
                catalogs,
                new MaskingRules(hashKey(config)),
                approvals == null
                        ? ApprovalStep.DISABLED
                        : new ApprovalStep(
                                approvals.flow(), approvals.requests(), rowEstimates(approvals, targets), sessions));
        this.sessionAdmission =
                new SessionAdmission(opa, new PolicyInput(mapper), approvals == null ? null : approvals.logins());
    }

    private RowEstimates rowEstimates(Approvals approvals, Collection<TargetConfig> targets) {
        return approvals.config().countRows() ? new CountedRows(targets, analysisThreads) : RowEstimates.NONE;
    }

    /**
     * The configured key of the {@code hash} strategy, else a random one for this process: a policy that hashes a
     * column must not make every masked statement fail on a missing setting, and a random key still hides the values
     * (hashes then match only within this process, not across restarts or gateways).
     */
    private static byte[] hashKey(PolicyConfig config) {
        byte[] configured = config.masking().hashKeyBytes();
        if (configured != null) {
            return configured;
        }
        log.warn("policy.masking.hash_key is not set: the 'hash' masking strategy uses a random key of this process,"
                + " so hashed values differ between gateways and restarts");
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return random;
    }

    /**
     * Runs the parser and one OPA round trip once, off the caller's thread, so that the first agent's
     * statement does not pay for class loading and JIT warm-up (which can exceed the decision time
     * limit and so deny it). The answer is ignored; OPA's decision log shows an input with "warmup".
     */
    public void warmUp() {
        analysisThreads.execute(() ->
                analyzer.analyze("SELECT a, COUNT(*) FROM t JOIN u ON t.id = u.t_id WHERE b = 'x' GROUP BY a", null));
        opa.decide(new ObjectMapper()
                .createObjectNode()
                .put("version", PolicyInput.VERSION)
                .put("warmup", true));
    }

    public StatementGate gate() {
        return gate;
    }

    /** The session decision at login, asked of the same OPA, never cached. */
    public SessionAdmission sessionAdmission() {
        return sessionAdmission;
    }

    /** Decision cache, for hit/miss counts; null when caching is off. */
    public DecisionCache cache() {
        return cache;
    }

    /** State of the circuit breaker in front of OPA, for operators. */
    /** What the calls to OPA did so far, for the metrics. */
    public OpaCalls opaCalls() {
        return opa.calls();
    }

    public CircuitBreaker.State opaCircuitState() {
        return opa.circuitState();
    }

    @Override
    public void close() {
        analysisThreads.shutdownNow();
        catalogs.close();
        opa.close();
        analyzer.close();
    }
}
