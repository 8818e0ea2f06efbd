package dev.agentgate.enforcement;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.analysis.lineage.Catalog;
import dev.agentgate.analysis.lineage.InMemoryCatalog;
import dev.agentgate.enforcement.catalog.TargetCatalogs;
import dev.agentgate.enforcement.masking.MaskingRules;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.OpaClient;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionFacts;
import dev.agentgate.testing.PolicyFixtures;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A statement gate wired as the gateway wires it (real analyzer, real OPA client), for tests:
 * only the OPA it asks, the cache and the analysis threads are chosen by the test.
 */
final class GateHarness implements AutoCloseable {

    private final StatementAnalyzer analyzer = new StatementAnalyzer();
    private final OpaClient opa;
    private final ExecutorService ownThreads;
    private final StatementGate gate;

    private GateHarness(URI opaUrl, DecisionCache cache, ExecutorService analysisThreads, boolean ownsThreads) {
        ObjectMapper mapper = new ObjectMapper();
        this.opa = new OpaClient(PolicyFixtures.patientOpa(opaUrl), mapper);
        this.ownThreads = ownsThreads ? analysisThreads : null;
        // The shop schema the shipped policy's grants name, and a hash key: the shipped masks include 'hash'.
        Catalog shop = InMemoryCatalog.builder()
                .table("shop", "orders", "id", "customer_id", "total")
                .table("shop", "customers", "id", "name", "email", "ssn", "phone", "date_of_birth")
                .build();
        this.gate = new StatementGate(
                analyzer,
                opa,
                cache,
                new PolicyInput(mapper),
                analysisThreads,
                TargetCatalogs.fixed(shop),
                new MaskingRules("a test key of 32 bytes, no secret".getBytes(StandardCharsets.UTF_8)));
    }

    static GateHarness asking(URI opaUrl, DecisionCache cache) {
        return new GateHarness(opaUrl, cache, Executors.newFixedThreadPool(2), true);
    }

    static GateHarness withAnalysisThreads(URI opaUrl, ExecutorService analysisThreads) {
        return new GateHarness(opaUrl, null, analysisThreads, false);
    }

    StatementGate gate() {
        return gate;
    }

    GateResult check(Identity identity, SessionFacts session, PolicyQuestion question) throws Exception {
        return gate.check(identity, session, question).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (ownThreads != null) {
            ownThreads.shutdownNow();
        }
        opa.close();
        analyzer.close();
    }
}
