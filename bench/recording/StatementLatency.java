import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The latency of one short statement after another on one connection, through each target in turn: several rounds
 * with the targets in a rotating order, each round a fresh connection and STATEMENTS statements (a point read by id
 * and an UPDATE, alternating), and prints per target the medians over rounds of each round's p50 and p99 (bench/
 * recording.sh runs it). Launched as a single source file: java -cp mysql-connector-j.jar StatementLatency.java ARGS.
 *
 * <p>Arguments: ROUNDS STATEMENTS then TARGET=URL|USER|PASSWORD_FILE ... (the password read from the file).
 * Output: one line per target: "target p50_median_us p99_median_us p50_min_us p50_max_us".
 */
public final class StatementLatency {

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int statements = Integer.parseInt(args[1]);
        Map<String, String[]> targets = new LinkedHashMap<>();
        for (String spec : Arrays.copyOfRange(args, 2, args.length)) {
            String[] nameAndRest = spec.split("=", 2);
            targets.put(nameAndRest[0], nameAndRest[1].split("\\|", 3));
        }
        List<String> names = new ArrayList<>(targets.keySet());
        Map<String, List<Double>> p50s = new LinkedHashMap<>();
        Map<String, List<Double>> p99s = new LinkedHashMap<>();
        for (int round = -1; round < rounds; round++) { // round -1: unmeasured warm-up of every path
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(Math.floorMod(i + round, names.size()));
                double[] micros = run(targets.get(name), statements);
                Arrays.sort(micros);
                if (round >= 0) {
                    p50s.computeIfAbsent(name, n -> new ArrayList<>()).add(micros[micros.length / 2]);
                    p99s.computeIfAbsent(name, n -> new ArrayList<>()).add(micros[(int) (micros.length * 0.99)]);
                }
            }
        }
        for (String name : names) {
            double[] p50 = sorted(p50s.get(name));
            System.out.printf(
                    "%s %.0f %.0f %.0f %.0f%n",
                    name, median(p50), median(sorted(p99s.get(name))), p50[0], p50[p50.length - 1]);
        }
    }

    private static double[] run(String[] target, int statements) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("user", target[1]);
        properties.setProperty(
                "password", new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(target[2]))).trim());
        double[] micros = new double[statements];
        try (Connection connection = DriverManager.getConnection(target[0], properties);
                Statement statement = connection.createStatement()) {
            for (int i = 0; i < statements; i++) {
                int id = 1 + i % 1000;
                long started = System.nanoTime();
                if (i % 2 == 0) {
                    try (ResultSet rows = statement.executeQuery("SELECT name FROM items WHERE id = " + id)) {
                        rows.next();
                    }
                } else {
                    statement.executeUpdate("UPDATE items SET hits = hits + 1 WHERE id = " + id);
                }
                micros[i] = (System.nanoTime() - started) / 1e3;
            }
        }
        return micros;
    }

    private static double[] sorted(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }
}
