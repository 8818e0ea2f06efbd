package dev.agentgate.recording;

import dev.agentgate.session.SessionEvent;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Session starts and ends that did not fit the recorder's full queue: never dropped, so no recording stays open, and
 * written in their session's order. A session's end is taken only once every event of the session queued before it
 * was taken (the queue may still hold a thousand of them when the end overflows): else the session's recording would
 * be closed with its end and its last statements would open a second one. A start is taken at once; the session's
 * events that came after it while it waited were counted lost (see {@link Recorder}).
 */
final class OverflowedEvents {

    /** One overflowed event; {@code queuedBefore} of its session's events were queued before it. */
    record Entry(SessionEvent event, long queuedBefore) {}

    private final Queue<Entry> waiting = new ConcurrentLinkedQueue<>();
    /** Of each session not ended yet: how many of its queued events the writer took (writer thread only). */
    private final Map<String, Long> taken = new HashMap<>();

    /** On the session's thread: {@code event} did not fit the queue. */
    void add(SessionEvent event, long queuedBefore) {
        waiting.add(new Entry(event, queuedBefore));
    }

    /** On the writer thread: it took {@code event} from the queue. */
    void tookQueued(SessionEvent event) {
        if (event instanceof SessionEvent.Ended) {
            taken.remove(event.sessionId());
        } else {
            taken.merge(event.sessionId(), 1L, Long::sum);
        }
    }

    /**
     * On the writer thread: hands {@code writer} every overflowed event whose session's earlier queued events were
     * taken, in the order they overflowed; with {@code all}, every one (the queue is drained for good).
     */
    void takeReady(boolean all, Consumer<SessionEvent> writer) {
        Iterator<Entry> entries = waiting.iterator();
        while (entries.hasNext()) {
            Entry entry = entries.next();
            if (all || taken.getOrDefault(entry.event().sessionId(), 0L) >= entry.queuedBefore()) {
                entries.remove();
                if (entry.event() instanceof SessionEvent.Ended) {
                    taken.remove(entry.event().sessionId());
                }
                writer.accept(entry.event());
            }
        }
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    int size() {
        return waiting.size();
    }
}
