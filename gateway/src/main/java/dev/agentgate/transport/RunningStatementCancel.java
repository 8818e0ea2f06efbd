package dev.agentgate.transport;

import dev.agentgate.transport.backend.StatementCanceller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's use of the {@link StatementCanceller}: stops the statement its backend thread runs. While a {@code
 * KILL QUERY} is on its way the session starts no further command ({@link #isPending}), so that the KILL cannot
 * reach a statement after the one it was meant for. Confined to the session's event loop.
 */
final class RunningStatementCancel {

    private static final Logger log = LoggerFactory.getLogger(RunningStatementCancel.class);

    private final StatementCanceller canceller;
    private final ClientConnection connection;
    private final String target;
    private final long backendThreadId;
    private final Runnable whenDone;
    private boolean pending;

    /**
     * @param canceller null when the gateway has none (unit tests): nothing is cancelled
     * @param whenDone runs on the event loop once a KILL QUERY was answered
     */
    RunningStatementCancel(
            StatementCanceller canceller,
            ClientConnection connection,
            String target,
            long backendThreadId,
            Runnable whenDone) {
        this.canceller = canceller;
        this.connection = connection;
        this.target = target;
        this.backendThreadId = backendThreadId;
        this.whenDone = whenDone;
    }

    /** The session goes on; only its running statement stops. */
    void cancelQuery(String why) {
        if (pending || canceller == null) {
            return;
        }
        pending = true;
        log.info("cancelling the running statement on the backend (thread {}): {}", backendThreadId, why);
        canceller
                .cancel(target, backendThreadId, StatementCanceller.Scope.QUERY)
                .whenComplete((ok, failed) -> {
                    if (failed != null) {
                        log.warn(
                                "could not cancel the statement of backend thread {}: {}",
                                backendThreadId,
                                failed.getMessage());
                    }
                    connection.client().eventLoop().execute(() -> {
                        connection.enterLogContext();
                        pending = false;
                        whenDone.run();
                    });
                });
    }

    /** The session ended while its statement ran: its backend connection must not run on. */
    void killConnection(String why) {
        if (canceller == null) {
            return;
        }
        log.info("ending backend thread {}, whose statement was still running: {}", backendThreadId, why);
        canceller
                .cancel(target, backendThreadId, StatementCanceller.Scope.CONNECTION)
                .whenComplete((ok, failed) -> {
                    if (failed != null) {
                        log.warn("could not end backend thread {}: {}", backendThreadId, failed.getMessage());
                    }
                });
    }

    /** Whether statements can be cancelled at all (a policy's statement timeout must be refused otherwise). */
    boolean canCancel() {
        return canceller != null;
    }

    boolean isPending() {
        return pending;
    }
}
