package dev.agentgate.session;

import dev.agentgate.state.InstanceLeaseStore;
import dev.agentgate.state.InstanceLeaseStore.Lease;
import dev.agentgate.state.StateUnavailableException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's claim to its {@code instance_id} in a fleet: the live sessions, KILL requests and connection id blocks
 * of the fleet are kept by instance id, so two processes with the same one would overwrite each other's. The lease is
 * taken at start (a second process with the same instance id refuses to start), renewed every {@link #RENEW_EVERY},
 * and given up on close. A lease not renewed for {@link #STALE_AFTER} (its process crashed) is taken over.
 */
public final class InstanceLease implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InstanceLease.class);

    static final Duration RENEW_EVERY = Duration.ofSeconds(5);

    /** A crashed replica restarted with its instance id starts at most this long after its last renewal. */
    public static final Duration STALE_AFTER = Duration.ofSeconds(20);

    private static final Duration LOOK_AGAIN_EVERY = Duration.ofMillis(500);

    private final InstanceLeaseStore store;
    private final String instance;
    private final String holder;
    private final String host;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    /** Whether this process holds the lease as far as it knows (renewals keep it so). */
    private volatile boolean held;

    private InstanceLease(InstanceLeaseStore store, String instance, String host, Clock clock) {
        this.store = store;
        this.instance = instance;
        this.host = host;
        this.clock = clock;
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        this.holder = HexFormat.of().formatHex(random);
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "agentgate-instance-lease");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Takes the lease of {@code instance}, waiting (at start, before any client is accepted) while another process
     * holds it: until its holder renews it (then this one must not start) or it goes stale (its holder crashed). When
     * the state database does not answer, the gateway starts all the same and takes the lease once it answers.
     *
     * @throws InstanceTakenException when another running process holds it
     */
    public static InstanceLease take(InstanceLeaseStore store, String instance, String host, Clock clock) {
        InstanceLease lease = new InstanceLease(store, instance, host, clock);
        try {
            lease.takeWaiting();
        } catch (StateUnavailableException e) {
            log.warn(
                    "could not take the lease of instance_id '{}' in the state database (taken once it answers): {}",
                    instance,
                    e.getMessage());
        }
        lease.timer.scheduleWithFixedDelay(
                lease::renew, RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return lease;
    }

    /**
     * A lease seen unchanged for {@link #STALE_AFTER} by this process's clock is taken over too: a holder whose clock
     * runs ahead cannot keep a crashed replica from starting again.
     */
    private void takeWaiting() {
        Lease first = null;
        Instant firstSeenAt = null;
        while (true) {
            Optional<Lease> seen = StateCalls.await(store.current(instance));
            if (seen.isEmpty()) {
                if (tryTake(null, false)) {
                    return;
                }
                continue; // another process inserted it first: it is looked at again
            }
            if (first != null && !seen.get().equals(first)) {
                throw taken(seen.get());
            }
            if (first == null) {
                first = seen.get();
                firstSeenAt = clock.instant();
                log.info(
                        "instance_id '{}' is leased by a gateway on {} that renewed it {} s ago: waiting for it to"
                                + " renew it (then this gateway does not start) or to go stale (it crashed)",
                        instance,
                        first.host(),
                        Duration.between(first.renewedAt(), firstSeenAt).toSeconds());
            }
            boolean unchanged = !clock.instant().isBefore(firstSeenAt.plus(STALE_AFTER));
            if (tryTake(first, unchanged)) {
                return;
            }
            sleep(LOOK_AGAIN_EVERY);
        }
    }

    /**
     * Takes the lease when no process holds it ({@code seen} null), or over {@code seen} when its holder let it go
     * stale or {@code stale} says it did.
     */
    private boolean tryTake(Lease seen, boolean stale) {
        Instant now = clock.instant();
        if (seen != null && !stale && !seen.renewedAt().isBefore(now.minus(STALE_AFTER))) {
            return false;
        }
        boolean taken = StateCalls.await(store.take(new Lease(instance, holder, host, now, now), seen));
        if (taken && seen != null) {
            log.info(
                    "took over the stale lease of instance_id '{}' (last renewed by the gateway on {} at {})",
                    instance,
                    seen.host(),
                    seen.renewedAt());
        }
        held = taken;
        return taken;
    }

    private InstanceTakenException taken(Lease other) {
        return new InstanceTakenException("instance_id '" + instance + "' is in use by another running gateway (on "
                + other.host() + ", it renews its lease in the state database): give every replica of a fleet its"
                + " own instance_id");
    }

    private void renew() {
        try {
            if (!held) {
                Optional<Lease> seen = StateCalls.await(store.current(instance));
                if (!tryTake(seen.orElse(null), false)) {
                    log.error(
                            "instance_id '{}' is leased by another running gateway (on {}): give every replica"
                                    + " its own instance_id",
                            instance,
                            seen.map(Lease::host).orElse("?"));
                }
            } else if (!StateCalls.await(store.renew(instance, holder, clock.instant()))) {
                held = false;
                log.error(
                        "the lease of instance_id '{}' was taken over by another process (this gateway did not"
                                + " renew it for {} s, or another replica uses the same instance_id)",
                        instance,
                        STALE_AFTER.toSeconds());
            }
        } catch (RuntimeException e) {
            log.warn("could not renew the lease of instance_id '{}': {}", instance, e.getMessage());
        }
    }

    /** The host name this process runs on, as the error of a second gateway with the same instance id names it. */
    public static String thisHost() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException unknown) {
            return "an unknown host";
        }
    }

    /** Whether this process holds its instance id's lease now. */
    public boolean held() {
        return held;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the lease of the instance id", e);
        }
    }

    /** Gives the lease up, so that a replica started again with the same instance id starts at once. */
    @Override
    public void close() {
        timer.shutdownNow();
        if (held) {
            try {
                store.release(instance, holder).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("could not give up the lease of instance_id '{}': {}", instance, e.toString());
            }
        }
    }
}
