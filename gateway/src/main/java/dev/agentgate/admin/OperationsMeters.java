package dev.agentgate.admin;

import dev.agentgate.approval.Approvals;
import dev.agentgate.policy.PolicyFailure;
import dev.agentgate.recording.Recorder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The meters operators watch a fleet by, beside the session counts: OPA's round trips and its failures by kind, the
 * values masked, the statements waiting for approval and how far the session recording is behind. Each but the OPA
 * timer is read at scrape time from the structure that keeps it, so the data path pays nothing extra; the timer is
 * recorded as each answer arrives (its buckets need every time, not only their sum).
 */
final class OperationsMeters {
    private OperationsMeters() {}

    private static final Duration[] OPA_BUCKETS = Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000)
            .map(Duration::ofMillis)
            .toArray(Duration[]::new);

    static void register(MeterRegistry registry, GatewayStatus status, Clock clock) {
        FunctionCounter.builder("agentgate.masked.values", status.counters(), GatewayCounters::valuesMaskedCount)
                .description("Values of masked columns sent to clients in their masked form.")
                .register(registry);
        for (boolean applied : new boolean[] {true, false}) {
            FunctionCounter.builder("agentgate.config.reloads", status.counters(), c -> c.configReloads(applied))
                    .description("Configuration reloads, applied or refused (the running configuration kept).")
                    .tag("result", applied ? "applied" : "refused")
                    .register(registry);
        }
        status.opaCalls().ifPresent(first -> opa(registry, status));
        status.approvals().ifPresent(approvals -> approvals(registry, approvals));
        status.recorder().ifPresent(recorder -> recording(registry, recorder, clock));
    }

    /**
     * The round trips as a timer with buckets from 1 ms to 5 s (OPA's own time limit is 250 ms by default), recorded as
     * each answer arrives; the failures read through the status at every scrape: a reload may replace the OPA client.
     */
    private static void opa(MeterRegistry registry, GatewayStatus status) {
        Timer roundTrips = Timer.builder("agentgate.opa.request.duration")
                .description("OPA round trips that got an HTTP answer, by how long they took.")
                .serviceLevelObjectives(OPA_BUCKETS)
                .register(registry);
        status.timeOpaAnswersWith(nanos -> roundTrips.record(nanos, TimeUnit.NANOSECONDS));
        for (PolicyFailure failure : PolicyFailure.values()) {
            FunctionCounter.builder(
                            "agentgate.opa.failures",
                            status,
                            s -> s.opaCalls().map(c -> c.failures(failure)).orElse(0L))
                    .description("Policy questions that got no valid decision (each a deny), by why.")
                    .tag("kind", failure.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    private static void approvals(MeterRegistry registry, Approvals approvals) {
        Gauge.builder("agentgate.approvals.waiting", approvals, Approvals::heldStatements)
                .description("Statements this gateway holds now, waiting for an approver's decision.")
                .register(registry);
    }

    private static void recording(MeterRegistry registry, Recorder recorder, Clock clock) {
        Gauge.builder("agentgate.recording.queued.events", recorder, Recorder::queuedEvents)
                .description("Session events waiting to be written to the recording.")
                .register(registry);
        Gauge.builder(
                        "agentgate.recording.lag",
                        recorder,
                        r -> r.lag(clock.instant()).toNanos() / 1e9)
                .description("Age of the oldest session event not yet written (0 when none waits).")
                .baseUnit("seconds")
                .register(registry);
    }
}
