package dev.agentgate.recording;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * For readiness: whether the recording bucket answers a HeadBucket with the configured credentials. The answer (good or
 * bad) is kept for {@link #FRESH_FOR}, so orchestrators probing every second cause one S3 call every few seconds; the
 * call runs on a thread of its own, never on the caller's.
 */
final class BucketReadiness implements AutoCloseable {

    static final Duration FRESH_FOR = Duration.ofSeconds(3);

    /** What one HeadBucket found: the text of the readiness check, and whether it passed. */
    private record Answer(boolean reachable, String text) {}

    private final S3Objects store;
    private final ExecutorService probes;
    private final AsyncLoadingCache<String, Answer> answers;

    BucketReadiness(S3Objects store) {
        this.store = store;
        this.probes = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "agentgate-recording-store-probe");
            thread.setDaemon(true);
            return thread;
        });
        // the loader never throws: Caffeine drops failed futures, and a failure must be kept as long as a success
        this.answers = Caffeine.newBuilder()
                .expireAfterWrite(FRESH_FOR)
                .executor(probes)
                .buildAsync(location -> headBucket());
    }

    /** Completes with where the bucket is once it answered; fails with why it does not. */
    CompletableFuture<String> probe() {
        return answers.get(store.location()).thenApply(answer -> {
            if (!answer.reachable()) {
                throw new IllegalStateException(answer.text());
            }
            return answer.text();
        });
    }

    private Answer headBucket() {
        try {
            store.probe();
            return new Answer(true, "reachable: " + store.location());
        } catch (IOException | RuntimeException e) {
            return new Answer(false, "cannot reach the session recording store " + e.getMessage());
        }
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }
}
