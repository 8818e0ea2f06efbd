package dev.agentgate.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.StateConfig;
import dev.agentgate.session.SessionRegistry.KillDecision;
import dev.agentgate.state.ConnectionIdBlocks;
import dev.agentgate.state.KillRequestStore;
import dev.agentgate.state.LiveSessionStore;
import dev.agentgate.state.StateDatabase;
import dev.agentgate.testing.IdleSessionControl;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateways of a fleet in one process, sharing an SQLite state database: a KILL sent to one for a session the other
 * holds is checked as a local KILL, passed on, carried out by the holder and answered.
 */
class FleetKillsTest {

    private static final String ISSUER = "https://issuer.example";

    /** A KILL the holder carried out on its backend. */
    private record Killed(SessionInfo victim, boolean queryOnly, String requestedBy) {}

    @TempDir
    Path directory;

    private StateDatabase database;
    /** What gateway A carried out: a KILL is answered as done only once A's backend carried it out. */
    private final List<Killed> killedOnA = new CopyOnWriteArrayList<>();
    /** Whether gateway A's backend fails the KILLs it is sent. */
    private volatile boolean backendOfAFails;

    private SessionRegistry registryA;
    private SessionRegistry registryB;
    private FleetSessions fleetA;
    private FleetSessions fleetB;

    @BeforeEach
    void startTwoGateways() {
        database = StateDatabase.open(StateConfig.sqlite(directory.resolve("state.db")));
        registryA = new SessionRegistry(10, ids("gw-a"));
        registryB = new SessionRegistry(10, ids("gw-b"));
        fleetA = FleetSessions.start(
                database,
                "gw-a",
                registryA,
                ids("gw-a"),
                (victim, queryOnly, by) -> {
                    if (backendOfAFails) {
                        return CompletableFuture.failedFuture(new IllegalStateException("control connection lost"));
                    }
                    killedOnA.add(new Killed(victim, queryOnly, by));
                    return CompletableFuture.completedFuture(null);
                },
                Clock.systemUTC());
        fleetB = FleetSessions.start(
                database,
                "gw-b",
                registryB,
                ids("gw-b"),
                (victim, queryOnly, by) -> CompletableFuture.completedFuture(null),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        fleetA.close();
        fleetB.close();
        database.close();
    }

    private FleetConnectionIds ids(String instance) {
        return FleetConnectionIds.start(
                new ConnectionIdBlocks(database, FleetConnectionIds.BLOCKS), instance, Clock.systemUTC());
    }

    /** A session opened on {@code registry}'s gateway, once that gateway's fleet wrote it. */
    private static SessionInfo open(
            SessionRegistry registry, FleetSessions fleet, String instance, String subject, String target, long thread)
            throws Exception {
        int id = registry.reserve().orElseThrow();
        SessionInfo info =
                new SessionInfo(id, instance + "-" + id, ISSUER, subject, target, thread, "127.0.0.1", Instant.now());
        registry.register(info, IdleSessionControl.INSTANCE);
        awaitKnown(fleet, id, target);
        return info;
    }

    private static void awaitKnown(FleetSessions fleet, long id, String target) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (fleet.liveSessions()
                .named(id, target, Instant.now().minusSeconds(30))
                .join()
                .isEmpty()) {
            assertThat(System.nanoTime()).as("session %d written", id).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private KillDecision killFromB(SessionInfo caller, boolean queryOnly, long id) throws Exception {
        return registryB
                .killsElsewhere()
                .orElseThrow()
                .kill(caller, new KillRequest(queryOnly, id))
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void killQueryOfOnesOwnSessionOnTheOtherGatewayIsCarriedOutThereAndAnswered() throws Exception {
        SessionInfo victim = open(registryA, fleetA, "gw-a", "alice", "appdb", 7);
        SessionInfo caller = open(registryB, fleetB, "gw-b", "alice", "appdb", 8);

        KillDecision decision = killFromB(caller, true, victim.connectionId());

        assertThat(decision).isEqualTo(new KillDecision.KilledElsewhere("gw-a"));
        assertThat(killedOnA).containsExactly(new Killed(victim, true, ISSUER + "|alice"));
    }

    @Test
    void aKillTheHoldersBackendDidNotCarryOutIsRefusedSayingWhy() throws Exception {
        SessionInfo victim = open(registryA, fleetA, "gw-a", "alice", "appdb", 97);
        SessionInfo caller = open(registryB, fleetB, "gw-b", "alice", "appdb", 98);
        backendOfAFails = true;

        KillDecision decision = killFromB(caller, true, victim.connectionId());

        assertThat(decision)
                .isEqualTo(new KillDecision.Refused(
                        1105,
                        "KILL " + victim.connectionId()
                                + " was not carried out on the session's backend: control connection lost"));
        assertThat(killedOnA).isEmpty();
    }

    @Test
    void killByTheBackendThreadIdOfOnesOwnSessionOnTheOtherGatewayKillsItsConnection() throws Exception {
        SessionInfo victim = open(registryA, fleetA, "gw-a", "alice", "appdb", 17);
        SessionInfo caller = open(registryB, fleetB, "gw-b", "alice", "appdb", 18);

        KillDecision decision = killFromB(caller, false, 17);

        assertThat(decision).isEqualTo(new KillDecision.KilledElsewhere("gw-a"));
        assertThat(killedOnA).containsExactly(new Killed(victim, false, ISSUER + "|alice"));
    }

    @Test
    void killOfAnotherIdentitysSessionOnTheOtherGatewayIsRefusedAndNothingIsKilled() throws Exception {
        SessionInfo victim = open(registryA, fleetA, "gw-a", "alice", "appdb", 27);
        SessionInfo caller = open(registryB, fleetB, "gw-b", "mallory", "appdb", 28);

        KillDecision decision = killFromB(caller, false, victim.connectionId());

        assertThat(decision)
                .isEqualTo(new KillDecision.Refused(1095, "You are not owner of thread " + victim.connectionId()));
        assertThat(killedOnA).isEmpty();
    }

    @Test
    void theHolderRefusesAKillOfASessionWhoseIdentityChangedSinceItWasWritten() throws Exception {
        SessionInfo victim = open(registryA, fleetA, "gw-a", "alice", "appdb", 77);
        SessionInfo caller = open(registryB, fleetB, "gw-b", "alice", "appdb", 78);
        // COM_CHANGE_USER on gateway A: the session is bob's now
        registryA.register(
                new SessionInfo(
                        victim.connectionId(),
                        victim.sessionId(),
                        ISSUER,
                        "bob",
                        "appdb",
                        77,
                        "127.0.0.1",
                        victim.startedAt()),
                IdleSessionControl.INSTANCE);

        KillDecision decision = killFromB(caller, false, victim.connectionId());

        assertThat(decision)
                .isEqualTo(new KillDecision.Refused(1095, "You are not owner of thread " + victim.connectionId()));
        assertThat(killedOnA).isEmpty();
    }

    @Test
    void afterAChangeOfUserTheSessionIsKilledThroughTheOtherGatewayByItsNewIdentityOnly() throws Exception {
        SessionInfo victim = open(registryA, fleetA, "gw-a", "alice", "appdb", 87);
        SessionInfo aliceOnB = open(registryB, fleetB, "gw-b", "alice", "appdb", 88);
        SessionInfo bobOnB = open(registryB, fleetB, "gw-b", "bob", "appdb", 89);
        SessionInfo asBob = new SessionInfo(
                victim.connectionId(), victim.sessionId(), ISSUER, "bob", "appdb", 87, "127.0.0.1", victim.startedAt());
        registryA.register(asBob, IdleSessionControl.INSTANCE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!fleetA.liveSessions()
                .named(victim.connectionId(), "appdb", Instant.now().minusSeconds(30))
                .join()
                .get(0)
                .subject()
                .equals("bob")) {
            assertThat(System.nanoTime()).as("new identity written").isLessThan(deadline);
            Thread.sleep(20);
        }

        assertThat(killFromB(aliceOnB, true, victim.connectionId()))
                .isEqualTo(new KillDecision.Refused(1095, "You are not owner of thread " + victim.connectionId()));
        assertThat(killFromB(bobOnB, true, victim.connectionId())).isEqualTo(new KillDecision.KilledElsewhere("gw-a"));
        assertThat(killedOnA).containsExactly(new Killed(asBob, true, ISSUER + "|bob"));
    }

    @Test
    void killOfOnesOwnSessionOnAnotherTargetIsRefusedNamingBothTargets() throws Exception {
        SessionInfo victim = open(registryA, fleetA, "gw-a", "alice", "reports", 37);
        SessionInfo caller = open(registryB, fleetB, "gw-b", "alice", "appdb", 38);

        KillDecision decision = killFromB(caller, false, victim.connectionId());

        assertThat(decision)
                .isEqualTo(
                        new KillDecision.Refused(
                                1095,
                                "Thread " + victim.connectionId()
                                        + " is connected to target 'reports', not 'appdb': kill it from a session on that target"));
        assertThat(killedOnA).isEmpty();
    }

    @Test
    void killOfASessionThatEndedIsRefusedAsAnUnknownThread() throws Exception {
        SessionInfo victim = open(registryA, fleetA, "gw-a", "alice", "appdb", 47);
        SessionInfo caller = open(registryB, fleetB, "gw-b", "alice", "appdb", 48);
        registryA.release(victim.connectionId());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!fleetA.liveSessions()
                .named(victim.connectionId(), "appdb", Instant.now().minusSeconds(30))
                .join()
                .isEmpty()) {
            assertThat(System.nanoTime()).as("ended session removed").isLessThan(deadline);
            Thread.sleep(20);
        }

        KillDecision decision = killFromB(caller, false, victim.connectionId());

        assertThat(decision).isEqualTo(new KillDecision.Refused(1094, "Unknown thread id: " + victim.connectionId()));
    }

    @Test
    void aKillOfASessionThatEndedBeforeItsHolderLookedIsRefusedAsAnUnknownThreadAtOnce() throws Exception {
        SessionInfo caller = open(registryB, fleetB, "gw-b", "alice", "appdb", 52);
        // the sender found the session on gateway A; by the time A looks, it ended and its row is gone
        long ended = 1_999_999_999L;
        new LiveSessionStore(database)
                .add(new LiveSessionStore.LiveSession(
                        ended, "gw-a-ended", "gw-a", ISSUER, "alice", "appdb", 51, Instant.now(), Instant.now()))
                .join();

        long started = System.nanoTime();
        KillDecision decision = killFromB(caller, false, ended);

        assertThat(decision).isEqualTo(new KillDecision.Refused(1094, "Unknown thread id: " + ended));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void theHolderAnswersARequestForASessionItNoLongerHoldsAsUnknownWithoutItsLiveSessionRow() throws Exception {
        KillRequestStore kills = new KillRequestStore(database);
        long ended = 1_999_999_998L;
        kills.add(new KillRequestStore.Request(
                        "kill-ended",
                        ended,
                        "gw-a",
                        ISSUER,
                        "alice",
                        "appdb",
                        KillRequestStore.Kind.QUERY,
                        Instant.now()))
                .join();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (kills.answer("kill-ended").join().isEmpty()) {
            assertThat(System.nanoTime()).as("request answered by gw-a").isLessThan(deadline);
            Thread.sleep(20);
        }

        assertThat(kills.answer("kill-ended").join())
                .contains(new KillRequestStore.Answer(KillRequestStore.Answer.UNKNOWN, "Unknown thread id: " + ended));
        assertThat(killedOnA).isEmpty();
    }

    @Test
    void aKillTheHolderDoesNotTakeInTimeIsWithdrawnAndRefusedNamingTheHolder() throws Exception {
        SessionInfo caller = open(registryB, fleetB, "gw-b", "alice", "appdb", 58);
        long orphan = 2_000_000_000L;
        new LiveSessionStore(database)
                .add(new LiveSessionStore.LiveSession(
                        orphan, "gw-gone-1", "gw-gone", ISSUER, "alice", "appdb", 57, Instant.now(), Instant.now()))
                .join();

        long started = System.nanoTime();
        KillDecision decision = killFromB(caller, true, orphan);

        assertThat(decision)
                .isEqualTo(new KillDecision.Refused(
                        1105,
                        "KILL " + orphan + " was not carried out: gateway 'gw-gone', which holds that session, did"
                                + " not take it within 5 s (is it running?)"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(RemoteKills.TAKE_WITHIN);
        assertThat(new KillRequestStore(database).untakenFor("gw-gone").join()).isEmpty();
    }

    @Test
    void aKillWhileTheStateDatabaseIsDownIsRefusedWithItsError() throws Exception {
        SessionInfo caller = new SessionInfo(
                SessionRegistry.FIRST_CONNECTION_ID,
                "gw-b-1",
                ISSUER,
                "alice",
                "appdb",
                68,
                "127.0.0.1",
                Instant.now());
        database.close();

        KillDecision decision = killFromB(caller, true, 1_073_741_900L);

        assertThat(decision).isInstanceOfSatisfying(KillDecision.Refused.class, refused -> {
            assertThat(refused.errorCode()).isEqualTo(1105);
            assertThat(refused.message()).startsWith("KILL 1073741900 was not carried out: the state database");
        });
    }
}
