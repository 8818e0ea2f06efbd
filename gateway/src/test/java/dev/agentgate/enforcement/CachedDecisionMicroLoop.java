package dev.agentgate.enforcement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.PolicyEngine;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.session.SessionFacts;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;

/**
 * Not a test: an indicative ns and bytes allocated per statement on the cached-decision path (no JMH),
 * with sysbench's oltp_point_select text ({@code --db-ps-mode=disable}): every statement has other
 * literals, so it is found by digest. Prints the lexer-only key alone and the whole {@link
 * StatementGate#check} of a hit (with its {@link PolicyQuestion}). Run from the repository root after
 * {@code mvn -pl gateway test-compile} with
 * {@code java -cp gateway/target/classes:gateway/target/test-classes:$(cat /tmp/cp) dev.agentgate.enforcement.CachedDecisionMicroLoop}
 * ({@code mvn -pl gateway dependency:build-classpath -Dmdep.outputFile=/tmp/cp}).
 */
public final class CachedDecisionMicroLoop {

    private static final int STATEMENTS = 4096;
    private static final int OPS = 1_000_000;

    private CachedDecisionMicroLoop() {}

    public static void main(String[] args) throws Exception {
        String[] sql = new String[STATEMENTS];
        Random random = new Random(42);
        for (int i = 0; i < sql.length; i++) {
            sql[i] = "SELECT c FROM sbtest" + (1 + random.nextInt(4)) + " WHERE id=" + (1 + random.nextInt(10_000));
        }
        Identity identity = new Identity(
                "agentgate-dev",
                "bench",
                Map.of(
                        "aud",
                        "agentgate",
                        "iss",
                        "agentgate-dev",
                        "sub",
                        "bench",
                        "exp",
                        4_000_000_000L,
                        "iat",
                        1_700_000_000L),
                Instant.ofEpochSecond(4_000_000_000L));
        SessionFacts session = new SessionFacts(
                1,
                "gw-1",
                "sbtest",
                "sbtest",
                "127.0.0.1:40000",
                true,
                "sysbench",
                Map.of(),
                Instant.EPOCH,
                identity.expiresAt());
        Decision allow = new Decision.Allow(
                "bench",
                Optional.empty(),
                Decision.Obligations.NONE,
                new Decision.Caching(Duration.ofSeconds(300), true, false));
        PolicyEngine engine = new PolicyEngine() {
            @Override
            public CompletableFuture<Decision> decide(JsonNode input) {
                return CompletableFuture.completedFuture(allow);
            }

            @Override
            public void close() {}
        };
        ExecutorService analysis = Executors.newFixedThreadPool(2);
        try (StatementAnalyzer analyzer = new StatementAnalyzer()) {
            StatementGate gate = new StatementGate(
                    analyzer, engine, new DecisionCache(10_000), new PolicyInput(new ObjectMapper()), analysis);
            for (int table = 1; table <= 4; table++) {
                GateResult first = gate.check(
                                identity, session, PolicyQuestion.query("SELECT c FROM sbtest" + table + " WHERE id=1"))
                        .get();
                check(first instanceof GateResult.Proceed, "the first statement is allowed: " + first);
            }
            check(
                    gate.check(identity, session, PolicyQuestion.query(sql[0])).isDone(),
                    "a statement with other literals is a cache hit");
            long[] sink = new long[1];
            for (int round = 1; round <= 5; round++) {
                System.out.printf("round %d%n", round);
                measure(
                        "singleStatementKey (lexer, digest text)",
                        i -> sink[0] += analyzer.singleStatementKey(sql[i & (STATEMENTS - 1)])
                                .hashCode());
                measure(
                        "StatementGate.check, cached (whole hit)",
                        i -> sink[0] += gate.check(identity, session, PolicyQuestion.query(sql[i & (STATEMENTS - 1)]))
                                .getNow(null)
                                .hashCode());
            }
            System.out.println("(sink " + sink[0] + ")");
        } finally {
            analysis.shutdownNow();
        }
    }

    private static void measure(String name, IntConsumer work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long allocatedBefore = threads.getThreadAllocatedBytes(thread);
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < OPS; i++) {
            work.accept(i);
        }
        long wall = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
        long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
        System.out.printf(
                "  %-44s %7.0f ns/op wall %7.0f ns/op cpu %6d B/op%n",
                name, (double) wall / OPS, (double) cpu / OPS, allocated / OPS);
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("expected: " + what);
        }
    }
}
