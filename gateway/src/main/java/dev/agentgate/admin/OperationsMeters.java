package dev.agentgate.admin;

import dev.agentgate.approval.Approvals;
import dev.agentgate.policy.OpaCalls;
import dev.agentgate.policy.PolicyFailure;
import dev.agentgate.recording.Recorder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The meters operators watch a fleet by, beside the session counts: OPA's round trips and its failures by kind, the
 * values masked, the statements waiting for approval and how far the session recording is behind. Each is read at
 * scrape time from the structure that keeps it, so the data path pays nothing extra.
 */
final class OperationsMeters {
    private OperationsMeters() {}

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

    /** Read through the status at every scrape: a configuration reload may replace the OPA client. */
    private static void opa(MeterRegistry registry, GatewayStatus status) {
        FunctionTimer.builder(
                        "agentgate.opa.request.duration",
                        status,
                        s -> s.opaCalls().map(OpaCalls::answeredCount).orElse(0L),
                        s -> s.opaCalls().map(OpaCalls::answeredNanos).orElse(0L),
                        TimeUnit.NANOSECONDS)
                .description("OPA round trips that got an HTTP answer, and their total time.")
                .register(registry);
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
