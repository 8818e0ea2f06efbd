package dev.agentgate.admin;

import dev.agentgate.enforcement.DecisionTimes;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * The policy decision times as a Prometheus histogram, read at scrape time from {@link DecisionTimes}: the data path
 * records each verdict with two counter increments there, and this turns its buckets into the registry's format.
 */
final class DecisionTimesCollector implements Collector {

    static final String NAME = "agentgate_policy_decision_duration_seconds";

    private final GatewayStatus status;

    DecisionTimesCollector(GatewayStatus status) {
        this.status = status;
    }

    @Override
    public MetricSnapshot collect() {
        DecisionTimes.Snapshot times = status.decisionTimes().orElseThrow();
        List<Long> bounds = times.upperBoundsNanos();
        double[] upperBounds = new double[bounds.size() + 1];
        long[] counts = new long[bounds.size() + 1];
        long below = 0;
        for (int i = 0; i < bounds.size(); i++) {
            upperBounds[i] = bounds.get(i) / 1e9;
            long cumulative = times.cumulativeCounts().get(i);
            counts[i] = cumulative - below; // the registry wants each bucket's own count
            below = cumulative;
        }
        upperBounds[bounds.size()] = Double.POSITIVE_INFINITY;
        counts[bounds.size()] = times.count() - below;
        return HistogramSnapshot.builder()
                .name(NAME)
                .help("Time from a command reaching the policy gate to its verdict: cache look-up, analysis, OPA,"
                        + " lineage.")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(upperBounds, counts))
                        .sum(times.sumNanos() / 1e9)
                        .build())
                .build();
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }
}
