import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads one large SELECT to the end through each target, several rounds with the targets in a rotating order,
 * and prints the median rows per second per target and protocol (bench/masking.sh runs it).
 * Every column of every row is read with getBytes, so the client does the same work everywhere.
 * Launched as a single source file: java -cp mysql-connector-j.jar RowsPerSecond.java ARGS.
 *
 * <p>Arguments: ROUNDS SQL then TARGET=URL|USER|PASSWORD_FILE ... (the password read from the file).
 * Output: one line per target and protocol: "target protocol median_rows_per_s min max rows", rows being the fewest
 * rows any read of that target returned (every read is counted, so a cut-short result shows).
 */
public final class RowsPerSecond {

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        String sql = args[1];
        Map<String, String[]> targets = new LinkedHashMap<>();
        for (String spec : Arrays.copyOfRange(args, 2, args.length)) {
            String[] nameAndRest = spec.split("=", 2);
            targets.put(nameAndRest[0], nameAndRest[1].split("\\|", 3));
        }
        List<String> names = new ArrayList<>(targets.keySet());
        for (String protocol : List.of("text", "binary")) {
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            Map<String, Long> fewestRows = new LinkedHashMap<>();
            for (int round = -1; round < rounds; round++) { // round -1: unmeasured warm-up of every path
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(Math.floorMod(i + round, names.size()));
                    String[] target = targets.get(name);
                    long started = System.nanoTime();
                    long rows = readAll(
                            target[0],
                            target[1],
                            new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(target[2]))).trim(),
                            sql,
                            protocol.equals("binary"));
                    double seconds = (System.nanoTime() - started) / 1e9;
                    fewestRows.merge(name, rows, Math::min);
                    if (round >= 0) {
                        rates.computeIfAbsent(name, n -> new ArrayList<>()).add(rows / seconds);
                    }
                }
            }
            for (String name : names) {
                double[] sorted = rates.get(name).stream()
                        .mapToDouble(Double::doubleValue)
                        .sorted()
                        .toArray();
                System.out.printf(
                        "%s %s %.0f %.0f %.0f %d%n",
                        name,
                        protocol,
                        sorted[sorted.length / 2],
                        sorted[0],
                        sorted[sorted.length - 1],
                        fewestRows.get(name));
            }
        }
    }

    /** Connects, streams every row of {@code sql} (text protocol, or binary via a server-side prepared statement). */
    private static long readAll(String url, String user, String password, String sql, boolean binary)
            throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("useServerPrepStmts", String.valueOf(binary));
        try (Connection connection = DriverManager.getConnection(url, properties);
                Statement statement = binary ? connection.prepareStatement(sql) : connection.createStatement()) {
            statement.setFetchSize(Integer.MIN_VALUE); // Connector/J: stream rows instead of buffering the result
            try (ResultSet rows =
                    binary ? ((PreparedStatement) statement).executeQuery() : statement.executeQuery(sql)) {
                int columns = rows.getMetaData().getColumnCount();
                long count = 0;
                long bytes = 0;
                while (rows.next()) {
                    for (int column = 1; column <= columns; column++) {
                        byte[] value = rows.getBytes(column);
                        bytes += value == null ? 0 : value.length;
                    }
                    count++;
                }
                if (bytes == 0) {
                    throw new IllegalStateException(url + ": the result had no data");
                }
                return count;
            }
        }
    }
}
