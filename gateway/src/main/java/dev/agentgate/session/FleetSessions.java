package dev.agentgate.session;

import dev.agentgate.state.ConnectionIdBlocks;
import dev.agentgate.state.KillRequestStore;
import dev.agentgate.state.LiveSessionStore;
import dev.agentgate.state.StateDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's part in a fleet's live sessions: a listener of the {@link SessionRegistry} that writes each session to
 * the state database when it is registered (again after a change of user) and removes it when it is released (the
 * database work on the state database's threads, never on an event loop), a heartbeat that keeps those rows and the connection id blocks marked alive, and a poll of the KILLs other
 * gateways passed on for its sessions, each checked as a local KILL is and carried out on the session's backend.
 */
public final class FleetSessions implements SessionRegistry.Listener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FleetSessions.class);

    /** How often KILLs passed on by other gateways are looked for: a KILL sent elsewhere waits about this long. */
    static final Duration POLL_EVERY = Duration.ofMillis(250);

    static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);

    /** A live session whose holder did not renew it for this long belongs to a gateway that died. */
    static final Duration ALIVE_WITHIN = Duration.ofSeconds(30);

    /** KILL requests are kept this long, for an operator looking into one. */
    private static final Duration KEEP_REQUESTS = Duration.ofMinutes(10);

    private final String instance;
    private final LiveSessionStore live;
    private final KillRequestStore kills;
    private final ConnectionIdBlocks blocks;
    private final FleetConnectionIds ids;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final RemoteKills remote;
    private final PassedOnKills passedOn;
    /** The sessions written, by session id: a session's removal waits for its row to be written. */
    private final Map<String, Registration> registered = new ConcurrentHashMap<>();

    private record Registration(long connectionId, CompletableFuture<Void> added) {}

    private FleetSessions(
            StateDatabase database,
            String instance,
            SessionRegistry registry,
            FleetConnectionIds ids,
            LocalKills local,
            Clock clock) {
        this.instance = instance;
        this.live = new LiveSessionStore(database);
        this.kills = new KillRequestStore(database);
        this.blocks = new ConnectionIdBlocks(database, FleetConnectionIds.BLOCKS);
        this.ids = ids;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "agentgate-fleet");
            thread.setDaemon(true);
            return thread;
        });
        this.remote = new RemoteKills(live, kills, instance, timer, clock);
        this.passedOn = new PassedOnKills(kills, instance, registry, local, clock);
    }

    /**
     * Forgets the sessions an earlier run of this instance left (it died holding them), starts the heartbeat and the
     * poll, and makes KILL of the fleet's other sessions go through {@link RemoteKills} in {@code registry}.
     *
     * @throws dev.agentgate.state.StateUnavailableException when the database cannot be reached
     */
    public static FleetSessions start(
            StateDatabase database,
            String instance,
            SessionRegistry registry,
            FleetConnectionIds ids,
            LocalKills local,
            Clock clock) {
        FleetSessions fleet = new FleetSessions(database, instance, registry, ids, local, clock);
        try {
            StateCalls.await(fleet.live.removeAll(instance));
        } catch (RuntimeException e) {
            // such rows only name sessions this gateway no longer has: a KILL of one is answered as unknown
            log.warn("could not forget the sessions an earlier run of this gateway left: {}", e.getMessage());
        }
        fleet.timer.scheduleWithFixedDelay(
                fleet.passedOn::takeAll, POLL_EVERY.toMillis(), POLL_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        fleet.timer.scheduleWithFixedDelay(
                fleet::heartbeat, HEARTBEAT_EVERY.toMillis(), HEARTBEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        registry.killElsewhereWith(fleet.remote);
        registry.listenWith(fleet);
        return fleet;
    }

    /** Where this gateway's sessions are written (for tests that wait for one). */
    LiveSessionStore liveSessions() {
        return live;
    }

    /** Its row is written after the one written before it (the session's identity changed), whatever became of that. */
    @Override
    public void registered(SessionInfo info) {
        try {
            registered.compute(
                    info.sessionId(),
                    (id, before) ->
                            new Registration(info.connectionId(), write(info, before == null ? null : before.added)));
        } catch (RuntimeException e) {
            log.warn("could not tell the fleet of session {}: {}", info.sessionId(), e.toString());
        }
    }

    /** Its row is removed once it was written. */
    @Override
    public void released(SessionInfo info) {
        Registration registration = registered.remove(info.sessionId());
        if (registration != null) {
            registration.added.handle((ok, failed) -> live.remove(registration.connectionId, instance));
        }
    }

    /** Writes the session's row after {@code before} (the row written earlier), whatever became of that. */
    private CompletableFuture<Void> write(SessionInfo info, CompletableFuture<Void> before) {
        LiveSessionStore.LiveSession row = new LiveSessionStore.LiveSession(
                info.connectionId(),
                info.sessionId(),
                instance,
                info.issuer(),
                info.subject(),
                info.target(),
                info.backendThreadId(),
                info.startedAt(),
                clock.instant());
        CompletableFuture<Void> written = before == null
                ? live.add(row)
                : before.handle((ok, failed) -> null).thenCompose(ignored -> live.add(row));
        written.whenComplete((ok, failed) -> {
            if (failed != null) {
                log.warn(
                        "session {} is not known to the fleet as it is now (KILL through another gateway will not"
                                + " find it so): {}",
                        info.sessionId(),
                        failed.getMessage());
            }
        });
        return written;
    }

    private void heartbeat() {
        ids.claimIfNone();
        try {
            StateCalls.await(live.heartbeat(instance, clock.instant()));
            StateCalls.await(blocks.renew(instance, ids.owned(), clock.instant()));
            StateCalls.await(kills.prune(clock.instant().minus(KEEP_REQUESTS)));
        } catch (RuntimeException e) {
            log.warn("could not tell the fleet this gateway's sessions are alive: {}", e.getMessage());
        }
    }

    /** After the sessions ended: nothing of this gateway is left among the fleet's live sessions. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            live.removeAll(instance).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("could not remove this gateway's sessions from the fleet's: {}", e.toString());
        }
    }
}
