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
 * Every column of every row is read with getBytes, so the client does the same work everywhere. The rate is that of
 * the result: rows over the time from sending the statement to the last row. The set-up before it (the login, and the
 * PREPARE of the binary protocol) is timed apart: a gateway's login does more than a TCP proxy's (token check,
 * backend connect), so it shows as itself instead of diluting the rate. The first WARMUP rounds are not
 * measured: the client's JIT settles there.
 * Launched as a single source file: java -cp mysql-connector-j.jar RowsPerSecond.java ARGS.
 *
 * <p>Before the rounds, each proxy with a pid file is read (text and binary in turn) until its JIT compilers have
 * settled: until two reads in a row (text, binary) in which the proxy's compiler threads took less than
 * {@link #SETTLED_JIT_SHARE} of its CPU time, or SETTLE_MAX reads; all targets twice over, as targets served by one
 * process (unmasked, masked) compile each other's paths. A long-running gateway has compiled its hot paths long
 * before; a fresh JVM spends seconds of CPU in C2 on them, which on a small machine is taken from the read itself
 * (and HAProxy has no JIT to wait for).
 *
 * <p>Arguments: ROUNDS WARMUP SETTLE_MAX SQL then TARGET=URL|USER|PASSWORD_FILE[|PID_FILE] ... (the password read from
 * the file). Output: one line per target and protocol: "target protocol median_rows_per_s min max rows median_setup_ms
 * median_proxy_cpu_ns_per_row median_jit_cpu_ns_per_row settle_reads" (-1 for the CPU figures without a pid file),
 * rows being the fewest rows any read of that target returned (every read is counted, so a cut-short result shows).
 */
public final class RowsPerSecond {

    /** A read in which the proxy's JIT compilers took less than this share of its CPU time: they have settled. */
    static final double SETTLED_JIT_SHARE = 0.02;

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int settleMax = Integer.parseInt(args[2]);
        String sql = args[3];
        Map<String, String[]> targets = new LinkedHashMap<>();
        for (String spec : Arrays.copyOfRange(args, 4, args.length)) {
            String[] nameAndRest = spec.split("=", 2);
            targets.put(nameAndRest[0], nameAndRest[1].split("\\|", 4));
        }
        List<String> names = new ArrayList<>(targets.keySet());
        Map<String, Integer> settleReads = new LinkedHashMap<>();
        // Twice over all targets: targets served by one gateway process (unmasked and masked) compile paths of
        // each other's, and a target settled first may see its process compile again for the next one.
        for (int pass = 0; pass < 2; pass++) {
            for (String name : names) {
                settleReads.merge(name, settle(name, targets.get(name), sql, settleMax), Integer::sum);
            }
        }
        for (String protocol : List.of("text", "binary")) {
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            Map<String, List<Double>> setups = new LinkedHashMap<>();
            Map<String, List<Double>> cpuPerRow = new LinkedHashMap<>();
            Map<String, List<Double>> jitPerRow = new LinkedHashMap<>();
            Map<String, Long> fewestRows = new LinkedHashMap<>();
            for (int round = -warmup; round < rounds; round++) { // rounds below 0: unmeasured warm-up of every path
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(Math.floorMod(i + round, names.size()));
                    Read read = readAll(targets.get(name), sql, protocol.equals("binary"));
                    fewestRows.merge(name, read.rows(), Math::min);
                    if (round >= 0) {
                        rates.computeIfAbsent(name, n -> new ArrayList<>())
                                .add(read.rows() / (read.resultNanos() / 1e9));
                        setups.computeIfAbsent(name, n -> new ArrayList<>()).add(read.setupNanos() / 1e6);
                        cpuPerRow
                                .computeIfAbsent(name, n -> new ArrayList<>())
                                .add(read.proxyCpuNanos() < 0 ? -1 : read.proxyCpuNanos() / (double) read.rows());
                        jitPerRow
                                .computeIfAbsent(name, n -> new ArrayList<>())
                                .add(read.jitCpuNanos() < 0 ? -1 : read.jitCpuNanos() / (double) read.rows());
                    }
                }
            }
            for (String name : names) {
                double[] sorted = sorted(rates.get(name));
                System.out.printf(
                        "%s %s %.0f %.0f %.0f %d %.1f %.0f %.0f %d%n",
                        name,
                        protocol,
                        sorted[sorted.length / 2],
                        sorted[0],
                        sorted[sorted.length - 1],
                        fewestRows.get(name),
                        sorted(setups.get(name))[sorted.length / 2],
                        sorted(cpuPerRow.get(name))[sorted.length / 2],
                        sorted(jitPerRow.get(name))[sorted.length / 2],
                        settleReads.get(name));
            }
        }
    }

    /**
     * Reads through a proxy (text and binary in turn) until its JIT compilers settled in two reads in a row (one of
     * each protocol), at most {@code max} times.
     *
     * @return the reads it took; 0 for a target without a proxy process
     */
    private static int settle(String name, String[] target, String sql, int max) throws Exception {
        if (target.length <= 3) {
            return 0;
        }
        int settledInARow = 0;
        for (int reads = 1; ; reads++) {
            Read read = readAll(target, sql, reads % 2 == 0);
            boolean settled = read.jitCpuNanos() < SETTLED_JIT_SHARE * read.proxyCpuNanos();
            settledInARow = settled ? settledInARow + 1 : 0;
            if (settledInARow == 2 || reads >= max) { // a text and a binary read in a row, both settled
                System.err.printf(
                        "%s: %s after %d reads (JIT %.0f%% of its CPU in the last)%n",
                        name,
                        settledInARow == 2 ? "JIT settled" : "JIT still compiling",
                        reads,
                        100.0 * read.jitCpuNanos() / Math.max(1, read.proxyCpuNanos()));
                return reads;
            }
        }
    }

    private static double[] sorted(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static String readText(String file) throws java.io.IOException {
        return java.nio.file.Files.readString(java.nio.file.Path.of(file)).trim();
    }

    /** CPU time so far of all threads of process {@code pid}; -1 for no process. */
    private static long cpuNanos(long pid) {
        return cpuNanos(pid, false);
    }

    /** CPU time so far of the JIT compiler threads of process {@code pid} (none for HAProxy); -1 for no process. */
    private static long jitCpuNanos(long pid) {
        return cpuNanos(pid, true);
    }

    private static long cpuNanos(long pid, boolean compilersOnly) {
        if (pid < 0) {
            return -1;
        }
        long total = 0;
        try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks =
                java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc", Long.toString(pid), "task"))) {
            for (java.nio.file.Path task : tasks) {
                try {
                    if (compilersOnly && !isCompiler(task)) {
                        continue;
                    }
                    total += Long.parseLong(java.nio.file.Files.readString(task.resolve("schedstat"))
                            .split(" ")[0]);
                } catch (java.io.IOException threadEnded) {
                    // a thread that ended meanwhile: its time is no longer counted by either reading
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("CPU time of process " + pid, e);
        }
        return total;
    }

    /** HotSpot names its compiler threads "C1 CompilerThreadN" and "C2 CompilerThreadN" (comm cuts them short). */
    private static boolean isCompiler(java.nio.file.Path task) throws java.io.IOException {
        String comm = java.nio.file.Files.readString(task.resolve("comm"));
        return comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler");
    }

    /**
     * One read: its rows, the set-up's time (login, PREPARE), the result's (statement sent to last row read), the
     * proxy's CPU time during the result and its JIT compilers' share of that (-1 without a proxy).
     */
    private record Read(long rows, long setupNanos, long resultNanos, long proxyCpuNanos, long jitCpuNanos) {}

    private static Read readAll(String[] target, String sql, boolean binary) throws Exception {
        long proxy = target.length > 3 ? Long.parseLong(readText(target[3])) : -1;
        return readAll(proxy, target[0], target[1], readText(target[2]), sql, binary);
    }

    /** Connects, streams every row of {@code sql} (text protocol, or binary via a server-side prepared statement). */
    private static Read readAll(long proxy, String url, String user, String password, String sql, boolean binary)
            throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("useServerPrepStmts", String.valueOf(binary));
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(url, properties);
                Statement statement = binary ? connection.prepareStatement(sql) : connection.createStatement()) {
            statement.setFetchSize(Integer.MIN_VALUE); // Connector/J: stream rows instead of buffering the result
            long setUp = System.nanoTime(); // logged in, and a prepared statement prepared
            long proxyCpu = cpuNanos(proxy);
            long jitCpu = jitCpuNanos(proxy);
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
                long ended = System.nanoTime();
                return new Read(
                        count,
                        setUp - started,
                        ended - setUp,
                        proxy < 0 ? -1 : cpuNanos(proxy) - proxyCpu,
                        proxy < 0 ? -1 : jitCpuNanos(proxy) - jitCpu);
            }
        }
    }
}
