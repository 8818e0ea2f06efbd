package dev.agentgate.recording;

import dev.agentgate.config.RecordingConfig;
import dev.agentgate.session.ResponseBudget;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every session: {@link #on} only puts the event on a bounded queue (the session's thread never waits), and
 * one writer thread writes what it takes in batches, each made durable at once. When the queue is full, events are
 * counted as lost (the recording gets a gap) and, with {@code recording.on_failure: refuse}, statements are refused
 * until the writer caught up; the same while the store cannot be written. Of each response it is given only the
 * packets within {@code recording.max_result_bytes} (its {@link #responseBudget()}): what the session cut is counted
 * with the statement, so a huge result takes no more of the queue than a small one.
 *
 * <p>A session may wait for a command's records to be durable ({@link #onDurably}): a marker queued behind the
 * command's last event tells it once the batch that holds them was committed, or that it failed, or (after {@code
 * recording.durable_within}) that it is late, which counts as behind.
 */
public final class Recorder implements SessionEvents, RecordingHealth, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Recorder.class);
    private static final int BATCH = 1024;

    /**
     * One queued event, with what its statement's response lost to {@code recording.max_result_bytes}; or (event
     * null) a session's wait for what was queued before it.
     */
    private record Queued(SessionEvent event, ResponseBudget.Cut cut, DurableWaits.Wait durable, Instant at) {
        Queued(SessionEvent event, ResponseBudget.Cut cut) {
            this(event, cut, null, event.at());
        }
    }

    private final RecordingConfig config;
    private final BlockingQueue<Queued> queue;
    private final OverflowedEvents overflow = new OverflowedEvents();

    private final ConcurrentHashMap<String, SessionLane> lanes = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, LongAdder> lost = new ConcurrentHashMap<>();
    /** Sessions that lost an event since their last wait for durability: that wait cannot be told kept. */
    private final Set<String> lostSinceWait = ConcurrentHashMap.newKeySet();
    /** Sessions a wait for durability expired for: the writer marks their recordings incomplete. */
    private final Queue<String> lateSessions = new ConcurrentLinkedQueue<>();

    private final DurableWaits waits;
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
        this.waits = new DurableWaits(config.durableWithin(), late -> {
            behind = true;
            lateSessions.add(late.sessionId);
        });
    }

    void start() {
        thread.start();
        waits.start();
    }

    @Override
    public long responseBudget() {
        return config.maxResultBytes();
    }

    @Override
    public boolean keepsDurably() {
        return true;
    }

    @Override
    public void onDurably(String sessionId, long commandNo, Executor executor, Durability then) {
        DurableWaits.Wait wait = waits.begin(sessionId, commandNo, executor, then);
        if (!running) {
            wait.notKept("the session recorder is stopped");
        } else if (lostSinceWait.remove(sessionId)) {
            wait.notKept("the session recorder is behind: events of this statement were not recorded");
        } else if (!queue.offer(new Queued(null, ResponseBudget.Cut.NONE, wait, Instant.now()))) {
            behind = true;
            wait.notKept("the session recorder is behind");
        }
    }

    @Override
    public void on(SessionEvent event) {
        String id = event.sessionId();
        SessionLane lane = lanes.get(id);
        if (lane == null) {
            lane = new SessionLane(config.maxResultBytes());
            lanes.put(id, lane); // only the session's own thread adds its lane
        }
        ResponseBudget.Cut cut = ResponseBudget.Cut.NONE;
        if (event instanceof SessionEvent.ResponsePacket packet) {
            if (!lane.budget.admit(packet.commandNo(), packet.payload().remaining())) {
                return;
            }
        } else if (event instanceof SessionEvent.CommandCompleted completed) {
            cut = completed.responseCut().plus(lane.budget.cutOf(completed.commandNo()));
        } else if (event instanceof SessionEvent.Ended) {
            lanes.remove(id);
            lostSinceWait.remove(id); // no wait follows the end: the mark would stay for good
        }
        boolean startOrEnd = event instanceof SessionEvent.Started || event instanceof SessionEvent.Ended;
        if (lane.startWaits) {
            // queued now, it would be written before the session's start
            if (startOrEnd) {
                overflow.add(event, lane.queued);
            } else {
                lose(id);
            }
        } else if (queue.offer(new Queued(event, cut))) {
            lane.queued++;
        } else {
            behind = true;
            if (startOrEnd) {
                lane.startWaits = event instanceof SessionEvent.Started;
                overflow.add(event, lane.queued);
            } else {
                lose(id);
            }
        }
    }

    private void lose(String sessionId) {
        lost.computeIfAbsent(sessionId, ignored -> new LongAdder()).increment();
        lostSinceWait.add(sessionId);
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
        return oldest == null ? Duration.ZERO : Duration.between(oldest.at(), now);
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
            overflow.takeReady(!running && queue.isEmpty(), this::takeOverflowed);
            String marked;
            while ((marked = lateSessions.poll()) != null) {
                writer.markLate(marked);
            }
            boolean failing = writer.commitAll();
            failure = writer.failure();
            waits.tellBatch(writer);
            if (!failing && behind && queue.size() < config.queueCapacity() / 2) {
                behind = false;
            }
        }
        writer.closeAll();
        waits.abandonAll("the session recorder is stopped");
    }

    private void take(Queued queued) {
        if (queued.durable() != null) {
            waits.taken(queued.durable(), writer);
            return;
        }
        overflow.tookQueued(queued.event());
        write(queued.event(), queued.cut());
    }

    private void takeOverflowed(SessionEvent event) {
        if (event instanceof SessionEvent.Started) {
            SessionLane lane = lanes.get(event.sessionId());
            if (lane != null) {
                lane.startWaits = false; // what the session queues from now on is written after its start
            }
        }
        write(event, ResponseBudget.Cut.NONE);
    }

    private void write(SessionEvent event, ResponseBudget.Cut cut) {
        LongAdder dropped = lost.remove(event.sessionId());
        writer.handle(event, cut, dropped == null ? 0 : dropped.sum());
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
        waits.abandonAll("the session recorder is stopped"); // a wait begun while the writer finished
        waits.close();
    }
}
