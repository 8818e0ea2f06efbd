package dev.agentgate.session;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one seam every event of a session passes (as Teleport's audit and OkHttp's {@code EventListener}): the
 * session calls {@link #on} on its own thread, in order, and never waits for it. A sink that does slow work
 * (disk, network) hands it to its own thread; a sink must not throw.
 */
public interface SessionEvents {

    /** The sink that takes nothing. */
    SessionEvents NONE = event -> {};

    void on(SessionEvent event);

    /**
     * How many response bytes of each command this sink takes as {@link SessionEvent.ResponsePacket}s (0: none). Each
     * packet costs a copy of its bytes, so the session makes them only for the response's first whole packets that fit
     * (see {@link ResponseBudget}); of the rest it only counts the packets and bytes, told as the {@link
     * SessionEvent.CommandCompleted#responseCut()}. Next to a sink with a larger budget a sink may get more packets
     * than its own budget: it cuts those itself.
     */
    default long responseBudget() {
        return 0;
    }

    /**
     * Whether this sink keeps events durably and can say when a command's events are kept ({@link #onDurably}): the
     * session then holds back the end of each response until they are, so a client never sees a statement complete
     * whose record a crash could still lose.
     */
    default boolean keepsDurably() {
        return false;
    }

    /**
     * Tells {@code then}, on {@code executor} and exactly once, whether every event of command {@code commandNo} of
     * session {@code sessionId} given to {@link #on} so far is kept durably, or why it is not; within the sink's own
     * bound of time (it never leaves the session waiting for good). Called on the session's thread right after its
     * {@link SessionEvent.CommandCompleted}; never blocks.
     */
    default void onDurably(String sessionId, long commandNo, Executor executor, Durability then) {
        executor.execute(then::kept);
    }

    /** What became of a command's events, told by {@link #onDurably}. */
    interface Durability {
        /** They are kept durably. */
        void kept();

        /** They are not kept (yet), and this says why. */
        void notKept(String why);
    }

    /** All of {@code sinks}, in order. */
    static SessionEvents all(List<SessionEvents> sinks) {
        List<SessionEvents> copy = List.copyOf(sinks);
        if (copy.isEmpty()) {
            return NONE;
        }
        if (copy.size() == 1) {
            return copy.get(0);
        }
        long responses =
                copy.stream().mapToLong(SessionEvents::responseBudget).max().orElse(0);
        List<SessionEvents> durable =
                copy.stream().filter(SessionEvents::keepsDurably).toList();
        return new SessionEvents() {
            @Override
            public void on(SessionEvent event) {
                boolean response = event instanceof SessionEvent.ResponsePacket;
                for (SessionEvents sink : copy) {
                    if (!response || sink.responseBudget() > 0) {
                        sink.on(event);
                    }
                }
            }

            @Override
            public long responseBudget() {
                return responses;
            }

            @Override
            public boolean keepsDurably() {
                return !durable.isEmpty();
            }

            @Override
            public void onDurably(String sessionId, long commandNo, Executor executor, Durability then) {
                Durability once = durable.size() == 1 ? then : allOf(durable.size(), then);
                for (SessionEvents sink : durable) {
                    sink.onDurably(sessionId, commandNo, executor, once);
                }
            }
        };
    }

    /** Kept once all {@code count} sinks said so; not kept as soon as the first one says it is not. */
    private static Durability allOf(int count, Durability then) {
        AtomicInteger waiting = new AtomicInteger(count);
        AtomicReference<String> failed = new AtomicReference<>();
        return new Durability() {
            @Override
            public void kept() {
                if (waiting.decrementAndGet() == 0 && failed.get() == null) {
                    then.kept();
                }
            }

            @Override
            public void notKept(String why) {
                waiting.decrementAndGet();
                if (failed.compareAndSet(null, why)) {
                    then.notKept(why);
                }
            }
        };
    }
}
