package dev.agentgate.session;

import java.util.List;

/**
 * The one seam every event of a session passes (as Teleport's audit and OkHttp's {@code EventListener}): the
 * session calls {@link #on} on its own thread, in order, and never waits for it. A sink that does slow work
 * (disk, network) hands it to its own thread; a sink must not throw.
 */
public interface SessionEvents {

    /** The sink that takes nothing. */
    SessionEvents NONE = event -> {};

    void on(SessionEvent event);

    /** Whether this sink wants {@link SessionEvent.ResponsePacket}s: they cost a copy of every response byte. */
    default boolean wantsResponses() {
        return false;
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
        boolean responses = copy.stream().anyMatch(SessionEvents::wantsResponses);
        return new SessionEvents() {
            @Override
            public void on(SessionEvent event) {
                boolean response = event instanceof SessionEvent.ResponsePacket;
                for (SessionEvents sink : copy) {
                    if (!response || sink.wantsResponses()) {
                        sink.on(event);
                    }
                }
            }

            @Override
            public boolean wantsResponses() {
                return responses;
            }
        };
    }
}
