package dev.agentgate.transport.backend;

import dev.agentgate.config.TargetConfig;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops work a session left on a backend: {@code KILL QUERY} (the statement, the connection lives on) or {@code KILL
 * CONNECTION} (the session is over), sent over one control connection per target, logged in as the target's service
 * account (the account that owns every session's backend thread, so it may kill them without the PROCESS or SUPER
 * privilege). Used for {@code max_rows} and {@code statement_timeout_ms} obligations, token expiry, a client that
 * disconnects mid-statement and any other end of a session. Thread-safe; nothing here blocks.
 */
public final class StatementCanceller {

    /** Which KILL: the running statement only, or the whole backend connection. */
    public enum Scope {
        QUERY("KILL QUERY "),
        CONNECTION("KILL CONNECTION ");

        private final String statement;

        Scope(String statement) {
            this.statement = statement;
        }

        String statement(long threadId) {
            return statement + threadId;
        }
    }

    private final Map<String, ControlConnection> controls = new HashMap<>();
    private final AtomicInteger unanswered = new AtomicInteger();

    /** @param loop where the control connections run (one of the gateway's worker loops) */
    public StatementCanceller(BackendConnector connector, Collection<TargetConfig> targets, EventLoop loop) {
        for (TargetConfig target : targets) {
            controls.put(target.name(), new ControlConnection(connector, target, loop));
        }
    }

    /**
     * Kills {@code threadId}'s statement (or connection) on {@code target}.
     *
     * @return completes once the server answered the KILL (either way), or with the failure when it could not be sent;
     *     a thread that is already gone is a success: nothing of it runs
     */
    public CompletableFuture<Void> cancel(String target, long threadId, Scope scope) {
        ControlConnection control = controls.get(target);
        if (control == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no target '" + target + "'"));
        }
        unanswered.incrementAndGet();
        CompletableFuture<Void> answered = control.send(scope.statement(threadId));
        answered.whenComplete((ok, failed) -> unanswered.decrementAndGet());
        return answered;
    }

    /**
     * At shutdown, before the event loops stop: waits (blocking the caller, never an event loop) until every KILL sent
     * so far was answered, at most {@code limit}.
     *
     * @return whether all were answered
     */
    public boolean awaitAnswers(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (unanswered.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return unanswered.get() == 0;
    }
}
