package dev.agentgate.identity;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * Counts failed logins per client address and blocks an address that failed too often within a minute.
 * Each address has its own one-minute window that starts with its first failure; when it ends the
 * address starts afresh. Attempts refused while blocked are not failures and do not extend the window.
 *
 * <p>Memory is bounded: at most {@code maxTrackedAddresses} addresses are tracked; when a new one
 * arrives and the table is full, expired windows are dropped first, then the oldest window.
 */
public final class LoginRateLimiter {

    public static final Duration WINDOW = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_TRACKED_ADDRESSES = 10_000;

    private record Window(Instant start, int failures) {}

    private final int maxFailuresPerMinute;
    private final int maxTrackedAddresses;
    private final Clock clock;
    // Guarded by this. Insertion order is window start order: a new window is always appended.
    private final LinkedHashMap<InetAddress, Window> windows = new LinkedHashMap<>();

    public LoginRateLimiter(int maxFailuresPerMinute) {
        this(maxFailuresPerMinute, DEFAULT_MAX_TRACKED_ADDRESSES, Clock.systemUTC());
    }

    public LoginRateLimiter(int maxFailuresPerMinute, int maxTrackedAddresses, Clock clock) {
        if (maxFailuresPerMinute < 1) {
            throw new IllegalArgumentException("maxFailuresPerMinute must be at least 1, was " + maxFailuresPerMinute);
        }
        if (maxTrackedAddresses < 1) {
            throw new IllegalArgumentException("maxTrackedAddresses must be at least 1, was " + maxTrackedAddresses);
        }
        this.maxFailuresPerMinute = maxFailuresPerMinute;
        this.maxTrackedAddresses = maxTrackedAddresses;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether a login from this address must be refused without looking at its credentials. */
    public synchronized boolean isBlocked(InetAddress address) {
        Window window = currentWindow(address);
        return window != null && window.failures() >= maxFailuresPerMinute;
    }

    /** The opposite of {@link #isBlocked}: true when a login attempt from this address may proceed. */
    public boolean tryAcquire(InetAddress address) {
        return !isBlocked(address);
    }

    public synchronized void recordFailure(InetAddress address) {
        Window window = currentWindow(address);
        if (window == null) {
            makeRoom();
            windows.put(address, new Window(clock.instant(), 1));
        } else {
            // Replacing the value of an existing key keeps its place in insertion order.
            windows.put(address, new Window(window.start(), window.failures() + 1));
        }
    }

    /** A successful login clears the address's failures. */
    public synchronized void recordSuccess(InetAddress address) {
        windows.remove(Objects.requireNonNull(address, "address"));
    }

    /** How many addresses currently have a window (for tests and metrics). */
    public synchronized int trackedAddresses() {
        return windows.size();
    }

    private Window currentWindow(InetAddress address) {
        Window window = windows.get(Objects.requireNonNull(address, "address"));
        if (window != null && isExpired(window)) {
            windows.remove(address);
            return null;
        }
        return window;
    }

    private boolean isExpired(Window window) {
        return !clock.instant().isBefore(window.start().plus(WINDOW));
    }

    // Windows are in start order, so expired ones are at the head, and the head is the oldest.
    private void makeRoom() {
        Iterator<Window> oldestFirst = windows.values().iterator();
        while (oldestFirst.hasNext()) {
            Window oldest = oldestFirst.next();
            if (windows.size() < maxTrackedAddresses && !isExpired(oldest)) {
                return;
            }
            oldestFirst.remove();
        }
    }
}
