package dev.agentgate.transport;

import dev.agentgate.admin.GatewayStatus;
import dev.agentgate.admin.HealthRoute;
import dev.agentgate.admin.ReadinessCheck;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.policy.OpaBundleProbe;
import dev.agentgate.recording.RecordingService;
import dev.agentgate.state.StateDatabase;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the gateway's liveness and readiness are made of, for the admin listener's {@link HealthRoute}. Live: every
 * event loop runs a task (a loop stuck in a blocking call never does). Ready: OPA with an active bundle (policy on),
 * the state database (whenever the gateway has one: approvals, the session index), the recording directory (recording
 * on) and the recording bucket ({@code recording.s3} set). Owns the OPA probe's HTTP client.
 */
final class GatewayHealth implements AutoCloseable {

    private final HealthRoute route;
    private final OpaBundleProbe opa;

    /**
     * @param state null when the gateway has no state database
     * @param recording null when sessions are not recorded
     */
    GatewayHealth(
            GatewayConfig config,
            GatewayStatus status,
            List<EventLoopGroup> loops,
            StateDatabase state,
            RecordingService recording) {
        List<ReadinessCheck> ready = new ArrayList<>();
        if (config.policy().disabled()) {
            opa = null;
        } else {
            opa = new OpaBundleProbe(config.policy().opaUrl(), HealthRoute.probeTimeout());
            ready.add(new ReadinessCheck("opa", opa::probe));
        }
        if (state != null) {
            ready.add(new ReadinessCheck("state", state::probe));
        }
        if (recording != null) {
            ready.add(new ReadinessCheck("recording", recording::probeStore));
            if (config.recording().s3().isPresent()) {
                ready.add(new ReadinessCheck("recording_store", recording::probeArchive));
            }
        }
        route = new HealthRoute(status, List.of(new ReadinessCheck("event_loops", () -> allRunATask(loops))), ready);
    }

    HealthRoute route() {
        return route;
    }

    private static CompletableFuture<String> allRunATask(List<EventLoopGroup> groups) {
        List<CompletableFuture<Void>> ran = new ArrayList<>();
        for (EventLoopGroup group : groups) {
            for (EventExecutor loop : group) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                try {
                    loop.execute(() -> done.complete(null));
                } catch (RuntimeException rejected) {
                    done.completeExceptionally(new IllegalStateException("an event loop has stopped"));
                }
                ran.add(done);
            }
        }
        return CompletableFuture.allOf(ran.toArray(CompletableFuture[]::new))
                .thenApply(all -> ran.size() + " event loops run tasks");
    }

    @Override
    public void close() {
        if (opa != null) {
            opa.close();
        }
    }
}
