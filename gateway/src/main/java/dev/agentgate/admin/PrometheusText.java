package dev.agentgate.admin;

import dev.agentgate.enforcement.DecisionTimes;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Writes metrics in the Prometheus text exposition format (version 0.0.4): a {@code # HELP} and a
 * {@code # TYPE} line per metric, then its samples.
 *
 * @see <a href="https://prometheus.io/docs/instrumenting/exposition_formats/">Exposition formats</a>
 */
final class PrometheusText {
    private final StringBuilder text = new StringBuilder();

    PrometheusText counter(String name, String help, long value) {
        header(name, help, "counter");
        return sample(name, "", value);
    }

    PrometheusText gauge(String name, String help, long value) {
        header(name, help, "gauge");
        return sample(name, "", value);
    }

    /**
     * An enum as a state set: one sample per possible state, labelled {@code label}, 1 for the
     * current one and 0 for the others, so dashboards can select a state without knowing codes.
     */
    <E extends Enum<E>> PrometheusText stateSet(String name, String help, String label, List<E> states, E current) {
        header(name, help, "gauge");
        for (E state : states) {
            sample(name, "{" + label + "=\"" + state.name().toLowerCase(Locale.ROOT) + "\"}", state == current ? 1 : 0);
        }
        return this;
    }

    /** A histogram of times: cumulative {@code _bucket}s by upper bound in seconds, then {@code _sum} and {@code _count}. */
    PrometheusText histogram(String name, String help, DecisionTimes.Snapshot times) {
        header(name, help, "histogram");
        for (int i = 0; i < times.upperBoundsNanos().size(); i++) {
            sample(
                    name + "_bucket",
                    "{le=\"" + seconds(times.upperBoundsNanos().get(i)) + "\"}",
                    times.cumulativeCounts().get(i));
        }
        sample(name + "_bucket", "{le=\"+Inf\"}", times.count());
        text.append(name).append("_sum ").append(seconds(times.sumNanos())).append('\n');
        return sample(name + "_count", "", times.count());
    }

    /** Nanoseconds as decimal seconds, exactly (no binary floating point: 0.000001, not 1.0E-6). */
    private static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    private void header(String name, String help, String type) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private PrometheusText sample(String name, String labels, long value) {
        text.append(name).append(labels).append(' ').append(value).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
