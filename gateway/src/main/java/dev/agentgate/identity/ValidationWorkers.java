package dev.agentgate.identity;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool on which token verification and key fetches block. Bounded in threads and queue so a login
 * flood against a slow issuer is refused as busy rather than piling up; daemon threads so the pool never
 * keeps the JVM alive.
 */
final class ValidationWorkers {

    private ValidationWorkers() {}

    static ExecutorService create(ValidatorOptions options) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                options.workerThreads(),
                options.workerThreads(),
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(options.maxQueuedValidations()),
                daemonThreads());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "agentgate-token-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
