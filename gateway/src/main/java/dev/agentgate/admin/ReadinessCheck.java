package dev.agentgate.admin;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One thing the gateway needs before it may take clients (OPA with an active bundle, the state database, the
 * recording store) or to stay alive (its event loops). The probe never blocks its caller: it completes with what it
 * saw when the part is usable, and fails with the reason when it is not.
 *
 * @param name the key of this check in the health document ({@code opa}, {@code state}, ...)
 * @param probe starts one probe
 */
public record ReadinessCheck(String name, Supplier<CompletableFuture<String>> probe) {

    public ReadinessCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(probe, "probe");
    }

    /** Starts the probe; a probe that throws instead of failing its future counts as failed all the same. */
    CompletableFuture<String> run() {
        try {
            return probe.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
