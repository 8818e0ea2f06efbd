package dev.agentgate.review;

import dev.agentgate.admin.AdminResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the recording store's blocking reads on their own executor (never the admin listener's event loop) and says
 * what a failed read answers: a bad session id is a 400, a full executor a 503, anything else a 500 without details.
 */
final class StoreReads {
    private static final Logger log = LoggerFactory.getLogger(StoreReads.class);

    /** A read of the recording store. */
    @FunctionalInterface
    interface Read<T> {
        T run() throws IOException;
    }

    private final Executor executor;

    StoreReads(Executor executor) {
        this.executor = executor;
    }

    Executor executor() {
        return executor;
    }

    <T> CompletableFuture<T> run(Read<T> read) {
        try {
            return CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return read.run();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    executor);
        } catch (RejectedExecutionException busy) {
            return CompletableFuture.failedFuture(busy);
        }
    }

    static AdminResponse failure(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof IllegalArgumentException badId) {
            return ReviewJson.error(400, badId.getMessage());
        }
        if (cause instanceof RejectedExecutionException) {
            return ReviewJson.error(503, "too many recordings are being read; try again");
        }
        log.warn("reading recordings failed", cause);
        return ReviewJson.error(500, "the recordings could not be read");
    }
}
