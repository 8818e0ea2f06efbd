import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.lineage.Catalog;
import dev.agentgate.analysis.lineage.ColumnLineage;
import dev.agentgate.analysis.lineage.InMemoryCatalog;
import dev.agentgate.analysis.lineage.MaskedColumns;
import java.time.Duration;
import java.util.Arrays;

/**
 * Times, one thread, what a statement of a masked agent costs on the analysis threads: the facts
 * (StatementAnalyzer.analyze), the column lineage alone (ColumnLineage.analyze), and both in the order
 * MaskingDecisions runs them (the lineage of the text the facts carry). Every iteration uses a new literal,
 * so no cache keyed by text answers across iterations. Run from the repository root after
 * `mvn -B -o -q -pl gateway -DskipTests package`:
 *   java -cp gateway/target/agentgate.jar bench/LineageTiming.java
 */
public class LineageTiming {
    private static final int PER_ROUND = 1_000;
    private static final int ROUNDS = 7; // the first two warm the JIT; the median of the rest is reported
    private static final int BLOCK = 100;

    private interface Work {
        void run(String sql);
    }

    public static void main(String[] args) {
        StatementAnalyzer analyzer = new StatementAnalyzer(Duration.ofMillis(200));
        ColumnLineage lineage = new ColumnLineage(analyzer);
        Catalog shop = InMemoryCatalog.builder()
                .table("shop", "customers", "id", "name", "email", "country")
                .table("shop", "orders", "id", "customer_id", "status", "total", "created_at")
                .build();
        MaskedColumns masked = MaskedColumns.of("shop.customers.email");
        String[][] statements = {
            {"point select", "SELECT id, name, email FROM customers WHERE id = %d"},
            {
                "join+where+order",
                "SELECT o.id, c.name, o.total FROM orders o JOIN customers c ON c.id = o.customer_id"
                        + " WHERE o.created_at > '2026-01-01' AND c.id <> %d ORDER BY o.total DESC LIMIT 20"
            },
            {
                "aggregate",
                "SELECT c.country, COUNT(*) AS n, SUM(o.total) AS revenue FROM orders o JOIN customers c"
                        + " ON c.id = o.customer_id WHERE o.status = 'paid' AND o.id > %d GROUP BY c.country HAVING COUNT(*) > 1"
                        + " ORDER BY revenue DESC"
            },
            {
                "cte",
                "WITH recent AS (SELECT customer_id, MAX(created_at) AS last_order FROM orders WHERE id > %d"
                        + " GROUP BY customer_id) SELECT c.name, r.last_order FROM customers c JOIN recent r ON r.customer_id = c.id"
            }
        };
        Work facts = sql -> analyzer.analyze(sql, "shop");
        Work traced = sql -> lineage.analyze(sql, "shop", shop, masked);
        Work parse = sql -> analyzer.parse(sql); // the lineage's own parse, which it repeats after the facts
        Work both = sql -> { // as MaskingDecisions does: the lineage of the statement text the facts carry
            StatementFacts statement =
                    analyzer.analyze(sql, "shop").statements().get(0);
            lineage.analyze(statement.sql(), "shop", shop, masked);
        };
        Work[] works = {facts, traced, parse, both};
        System.out.printf(
                "%-18s %9s %11s %13s %9s %11s %11s%n",
                "statement", "facts us", "lineage us", "(its parse)", "both us", "both/(f+l)", "both-facts");
        int offset = 0;
        for (String[] statement : statements) {
            double[] us = medians(works, statement[1], offset += 10_000_000);
            System.out.printf(
                    "%-18s %9.1f %11.1f %13.1f %9.1f %10.0f%% %11.1f%n",
                    statement[0], us[0], us[1], us[2], us[3], 100 * us[3] / (us[0] + us[1]), us[3] - us[0]);
        }
        System.exit(0); // the analyzer's parser threads are daemons, but do not wait for them
    }

    /**
     * Microseconds per statement of each work, the median over the measured rounds. The works take turns in blocks
     * of BLOCK statements, so a change of the machine's load (other processes) hits all of them alike.
     */
    private static double[] medians(Work[] works, String statement, int offset) {
        double[][] micros = new double[works.length][ROUNDS - 2];
        int literal = offset;
        for (int round = 0; round < ROUNDS; round++) {
            long[] nanos = new long[works.length];
            for (int block = 0; block < PER_ROUND / BLOCK; block++) {
                for (int w = 0; w < works.length; w++) {
                    long started = System.nanoTime();
                    for (int i = 0; i < BLOCK; i++) {
                        works[w].run(String.format(statement, literal++));
                    }
                    nanos[w] += System.nanoTime() - started;
                }
            }
            for (int w = 0; round >= 2 && w < works.length; w++) {
                micros[w][round - 2] = nanos[w] / 1000.0 / PER_ROUND;
            }
        }
        double[] result = new double[works.length];
        for (int w = 0; w < works.length; w++) {
            Arrays.sort(micros[w]);
            result[w] = micros[w][micros[w].length / 2];
        }
        return result;
    }
}
