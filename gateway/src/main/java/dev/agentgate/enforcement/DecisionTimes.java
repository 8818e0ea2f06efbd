package dev.agentgate.enforcement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * How long commands waited for the policy's verdict, from reaching the {@link StatementGate} to its verdict
 * (cache look-up, analysis, OPA, the lineage question of a mask): a histogram with fixed buckets in 1-2-5
 * steps from 1 us to 10 s. Fixed buckets rather than a quantile sketch, because recording happens on the
 * event loop for every command and must cost two counter increments, and because operators aggregate it
 * across gateways as a Prometheus histogram ({@code agentgate_policy_decision_duration_seconds}).
 * Thread-safe.
 */
public final class DecisionTimes {

    private static final long[] UPPER_BOUNDS_NANOS = upperBounds();

    /** Per bucket (not cumulative); the last one is +Inf. */
    private final LongAdder[] buckets = new LongAdder[UPPER_BOUNDS_NANOS.length + 1];

    private final LongAdder sumNanos = new LongAdder();

    public DecisionTimes() {
        Arrays.setAll(buckets, i -> new LongAdder());
    }

    /** Counts one verdict that took {@code nanos} (a negative time, from a clock step, counts as zero). */
    public void record(long nanos) {
        long time = Math.max(0, nanos);
        int index = Arrays.binarySearch(UPPER_BOUNDS_NANOS, time);
        // A time equal to a bound belongs to that bound's bucket (le = "less or equal"); otherwise the first larger
        // one.
        buckets[index >= 0 ? index : -index - 1].increment();
        sumNanos.add(time);
    }

    /** The counts so far. Read while others record, it may be off by the verdicts recorded meanwhile. */
    public Snapshot snapshot() {
        List<Long> cumulative = new ArrayList<>(buckets.length);
        long count = 0;
        for (LongAdder bucket : buckets) {
            count += bucket.sum();
            cumulative.add(count);
        }
        List<Long> bounds = Arrays.stream(UPPER_BOUNDS_NANOS).boxed().toList();
        return new Snapshot(bounds, cumulative.subList(0, bounds.size()), count, sumNanos.sum());
    }

    /**
     * @param upperBoundsNanos the finite bucket bounds, ascending
     * @param cumulativeCounts per finite bound, the verdicts that took at most that long
     * @param count all verdicts (the +Inf bucket)
     * @param sumNanos their total time
     */
    public record Snapshot(List<Long> upperBoundsNanos, List<Long> cumulativeCounts, long count, long sumNanos) {
        public Snapshot {
            upperBoundsNanos = List.copyOf(upperBoundsNanos);
            cumulativeCounts = List.copyOf(cumulativeCounts);
            if (upperBoundsNanos.size() != cumulativeCounts.size()) {
                throw new IllegalArgumentException("one cumulative count per bound expected: " + upperBoundsNanos.size()
                        + " bounds, " + cumulativeCounts.size() + " counts");
            }
        }
    }

    /** 1, 2, 5, 10, 20, 50 ... us up to 10 s. */
    private static long[] upperBounds() {
        List<Long> bounds = new ArrayList<>();
        for (long decade = 1_000; decade <= 1_000_000_000L; decade *= 10) {
            bounds.add(decade);
            bounds.add(2 * decade);
            bounds.add(5 * decade);
        }
        bounds.add(10_000_000_000L);
        return bounds.stream().mapToLong(Long::longValue).toArray();
    }
}
