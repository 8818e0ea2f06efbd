package dev.agentgate.transport;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections still in the connection phase (not yet logged in), counted apart from sessions: in total and
 * per client address. Sockets that connect and never log in thus use up this budget, not the session slots of
 * {@code listen.max_connections}, and one address cannot take the budget of all others. Thread-safe.
 */
final class HandshakeBudget {

    /** A place in the budget; {@link #release} gives it back, once however often it is called. */
    static final class Slot {
        private final Runnable onRelease;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(Runnable onRelease) {
            this.onRelease = onRelease;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                onRelease.run();
            }
        }
    }

    private final int maxInProgress;
    private final int maxPerAddress;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final ConcurrentMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    HandshakeBudget(int maxInProgress, int maxPerAddress) {
        if (maxInProgress < 1 || maxPerAddress < 1) {
            throw new IllegalArgumentException("limits must be positive, were " + maxInProgress + ", " + maxPerAddress);
        }
        this.maxInProgress = maxInProgress;
        this.maxPerAddress = maxPerAddress;
    }

    /** A slot for a new connection from {@code address}; empty when the total or that address is at its limit. */
    Optional<Slot> tryAcquire(InetAddress address) {
        if (inProgress.incrementAndGet() > maxInProgress) {
            inProgress.decrementAndGet();
            return Optional.empty();
        }
        boolean[] admitted = {false};
        perAddress.compute(address, (key, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerAddress) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        if (!admitted[0]) {
            inProgress.decrementAndGet();
            return Optional.empty();
        }
        return Optional.of(new Slot(() -> release(address)));
    }

    private void release(InetAddress address) {
        perAddress.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
        inProgress.decrementAndGet();
    }

    int inProgress() {
        return inProgress.get();
    }

    int inProgressFrom(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }
}
