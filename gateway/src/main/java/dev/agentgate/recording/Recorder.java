package dev.agentgate.recording;

import dev.agentgate.config.RecordingConfig;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every session: {@link #on} only puts the event on a bounded queue (the session's thread never waits), and
 * one writer thread writes what it takes in batches, each made durable at once. When the queue is full, events are
 * counted as lost (the recording gets a gap) and, with {@code recording.on_failure: refuse}, statements are refused
 * until the writer caught up; the same while the store cannot be written.
 */
public final class Recorder implements SessionEvents, RecordingHealth, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Recorder.class);
    private static final int BATCH = 1024;

    /** One queued event, with what its statement's response lost to {@code recording.max_result_bytes}. */
    private record Queued(SessionEvent event, ResponseBudget.Cut cut) {}

    private final RecordingConfig config;
    private final BlockingQueue<Queued> queue;
    /** Session starts and ends that did not fit the queue: never dropped, so no recording stays open. */
    private final Queue<Queued> overflow = new ConcurrentLinkedQueue<>();

    private final ConcurrentHashMap<String, ResponseBudget> budgets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> lost = new ConcurrentHashMap<>();
    private final RecordingWriter writer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean behind;
    private volatile String failure;

    Recorder(RecordingConfig config, RecordingWriter writer) {
        this.config = config;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.writer = writer;
        this.thread = new Thread(this::writeUntilClosed, "agentgate-recorder");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public boolean wantsResponses() {
        return true;
    }

    @Override
    public void on(SessionEvent event) {
        String id = event.sessionId();
        ResponseBudget.Cut cut = ResponseBudget.Cut.NONE;
        if (event instanceof SessionEvent.ResponsePacket packet) {
            ResponseBudget budget = budgets.computeIfAbsent(id, ignored -> new ResponseBudget(config.maxResultBytes()));
            if (!budget.admit(packet.commandNo(), packet.payload().remaining())) {
                return;
            }
        } else if (event instanceof SessionEvent.CommandCompleted completed) {
            ResponseBudget budget = budgets.get(id);
            cut = budget == null ? ResponseBudget.Cut.NONE : budget.cutOf(completed.commandNo());
        } else if (event instanceof SessionEvent.Ended) {
            budgets.remove(id);
        }
        Queued queued = new Queued(event, cut);
        if (!queue.offer(queued)) {
            behind = true;
            if (event instanceof SessionEvent.Started || event instanceof SessionEvent.Ended) {
                overflow.add(queued);
            } else {
                lost.computeIfAbsent(id, ignored -> new LongAdder()).increment();
            }
        }
    }

    @Override
    public Optional<String> refusal() {
        if (config.onFailure() == RecordingConfig.OnFailure.CONTINUE) {
            return Optional.empty();
        }
        String failed = failure;
        if (failed != null) {
            return Optional.of(failed);
        }
        return behind ? Optional.of("the session recorder is behind") : Optional.empty();
    }

    /** Events waiting to be written. */
    public int queuedEvents() {
        return queue.size() + overflow.size();
    }

    /**
     * How far the recording is behind: the age of the oldest event not yet written, zero when none waits. Read at
     * scrape time; never blocks.
     */
    public Duration lag(Instant now) {
        Queued oldest = queue.peek();
        return oldest == null ? Duration.ZERO : Duration.between(oldest.event().at(), now);
    }

    /** Where segments are written. */
    Path directory() {
        return config.dir();
    }

    /** Why the store could not be written at the last commit, whatever {@code on_failure} says; empty while it can. */
    Optional<String> storeFailure() {
        return Optional.ofNullable(failure);
    }

    private void writeUntilClosed() {
        while (running || !queue.isEmpty() || !overflow.isEmpty()) {
            try {
                Queued first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first != null) {
                    take(first);
                    Queued next;
                    for (int i = 0; i < BATCH && (next = queue.poll()) != null; i++) {
                        take(next);
                    }
                }
            } catch (InterruptedException e) {
                running = false;
            } catch (RuntimeException e) {
                log.error("session recorder: an event could not be recorded", e);
            }
            Queued late;
            while ((late = overflow.poll()) != null) {
                take(late);
            }
            boolean failing = writer.commitAll();
            failure = writer.failure();
            if (!failing && behind && queue.size() < config.queueCapacity() / 2) {
                behind = false;
            }
        }
        writer.closeAll();
    }

    private void take(Queued queued) {
        LongAdder dropped = lost.remove(queued.event().sessionId());
        writer.handle(queued.event(), queued.cut(), dropped == null ? 0 : dropped.sum());
    }

    /** Writes what is queued, closes every open segment with its head and stops the writer thread. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
