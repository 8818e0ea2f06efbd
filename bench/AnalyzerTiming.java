import dev.agentgate.analysis.StatementAnalyzer;
import java.time.Duration;

/**
 * Times the gateway's statement analysis (JSqlParser + facts) alone, one thread, on sysbench's
 * statements and the agent workload's: the per-statement work the policy path adds when the
 * decision cache does not answer. Run from the repository root after `mvn package`:
 *   java -cp gateway/target/agentgate.jar bench/AnalyzerTiming.java
 */
public class AnalyzerTiming {
    private static final int ANALYSES_PER_ROUND = 20_000;

    public static void main(String[] args) {
        StatementAnalyzer analyzer = new StatementAnalyzer(Duration.ofMillis(200));
        String[] statements = {
            "SELECT c FROM sbtest3 WHERE id=%d",
            "SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN %d AND 109 ORDER BY c",
            // bench/agent.sh's agent_cold: a new alias in every statement
            "SELECT id AS c%1$d, name, email, ssn FROM customers WHERE id = %1$d"
        };
        for (String statement : statements) {
            for (int round = 1; round <= 3; round++) { // rounds 1-2 warm the JIT
                long started = System.nanoTime();
                for (int i = 0; i < ANALYSES_PER_ROUND; i++) {
                    analyzer.analyze(String.format(statement, i), "sbtest");
                }
                double micros = (System.nanoTime() - started) / 1000.0 / ANALYSES_PER_ROUND;
                System.out.printf("round %d  %6.1f us per analysis  %s%n", round, micros, statement);
            }
        }
        System.exit(0); // the analyzer's parser threads are daemons, but do not wait for them
    }
}
