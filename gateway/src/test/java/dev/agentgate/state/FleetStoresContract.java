package dev.agentgate.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.state.KillRequestStore.Answer;
import dev.agentgate.state.KillRequestStore.Kind;
import dev.agentgate.state.LiveSessionStore.LiveSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * What the fleet's stores promise on every kind of state database: connection id blocks claimed by one gateway each,
 * the live sessions a KILL can name, and KILL requests taken once. Each database kind runs these in a subclass; every
 * test starts from empty tables.
 */
abstract class FleetStoresContract {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration STALE = Duration.ofMinutes(10);

    /** A database with the migrations run and the fleet's tables empty. */
    abstract StateDatabase database();

    private static LiveSession session(long connectionId, String instance, String subject, long thread, Instant beat) {
        return new LiveSession(
                connectionId,
                instance + "-" + connectionId,
                instance,
                "https://issuer.example",
                subject,
                "appdb",
                thread,
                NOW.minusSeconds(60),
                beat);
    }

    private static KillRequestStore.Request request(String id, long connectionId) {
        return request(id, connectionId, "gw-b");
    }

    private static KillRequestStore.Request request(String id, long connectionId, String holder) {
        return new KillRequestStore.Request(
                id, connectionId, holder, "https://issuer.example", "alice", "appdb", Kind.QUERY, NOW);
    }

    @Test
    void gatewaysClaimingBlocksAtOnceEachGetADifferentOne() {
        ConnectionIdBlocks blocks = new ConnectionIdBlocks(database(), 100);
        List<CompletableFuture<Integer>> claims = new ArrayList<>();

        for (int i = 0; i < 6; i++) {
            claims.add(blocks.claim("gw-" + i, NOW, STALE));
        }

        assertThat(claims.stream().map(CompletableFuture::join).toList()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    }

    @Test
    void onceEveryBlockIsHandedOutTheOneItsOwnerStoppedRenewingIsTakenOver() {
        ConnectionIdBlocks blocks = new ConnectionIdBlocks(database(), 2);
        blocks.claim("gw-a", NOW.minus(Duration.ofHours(1)), STALE).join();
        blocks.claim("gw-b", NOW.minus(Duration.ofHours(1)), STALE).join();
        blocks.renew("gw-b", List.of(1), NOW).join();

        int taken = blocks.claim("gw-c", NOW, STALE).join();

        assertThat(taken).isZero();
        assertThat(blocks.owner(0).join()).isEqualTo("gw-c");
        assertThat(blocks.owner(1).join()).isEqualTo("gw-b");
    }

    @Test
    void noBlockIsClaimedWhileEveryOneIsRenewed() {
        ConnectionIdBlocks blocks = new ConnectionIdBlocks(database(), 1);
        blocks.claim("gw-a", NOW, STALE).join();

        assertThatThrownBy(() -> blocks.claim("gw-b", NOW.plusSeconds(1), STALE).join())
                .isInstanceOf(CompletionException.class)
                .hasRootCauseMessage("all 1 blocks of connection ids are in use");
        assertThat(blocks.owner(0).join()).isEqualTo("gw-a");
    }

    @Test
    void aGatewayRenewsOnlyTheBlocksItStillOwns() {
        ConnectionIdBlocks blocks = new ConnectionIdBlocks(database(), 1);
        blocks.claim("gw-a", NOW.minus(Duration.ofHours(1)), STALE).join();
        blocks.claim("gw-b", NOW, STALE).join();

        int renewed = blocks.renew("gw-a", List.of(0), NOW.plusSeconds(5)).join();

        assertThat(renewed).isZero();
        assertThat(blocks.owner(0).join()).isEqualTo("gw-b");
    }

    @Test
    void aLiveSessionIsNamedByItsConnectionIdOrByItsBackendThreadOnItsTarget() {
        LiveSessionStore live = new LiveSessionStore(database());
        LiveSession session = session(1_073_741_824L, "gw-a", "alice", 42, NOW);
        live.add(session).join();

        assertThat(live.named(1_073_741_824L, "appdb", NOW.minusSeconds(30)).join())
                .containsExactly(session);
        assertThat(live.named(42, "appdb", NOW.minusSeconds(30)).join()).containsExactly(session);
        assertThat(live.named(42, "reports", NOW.minusSeconds(30)).join()).isEmpty();
        assertThat(live.named(43, "appdb", NOW.minusSeconds(30)).join()).isEmpty();
    }

    @Test
    void aSessionWhoseGatewayStoppedRenewingItIsNotNamed() {
        LiveSessionStore live = new LiveSessionStore(database());
        live.add(session(1_073_741_825L, "gw-a", "alice", 7, NOW.minusSeconds(60)))
                .join();
        live.add(session(1_073_741_826L, "gw-b", "alice", 8, NOW.minusSeconds(60)))
                .join();

        live.heartbeat("gw-b", NOW).join();

        assertThat(live.named(1_073_741_825L, "appdb", NOW.minusSeconds(30)).join())
                .isEmpty();
        assertThat(live.named(1_073_741_826L, "appdb", NOW.minusSeconds(30)).join())
                .hasSize(1);
    }

    @Test
    void aGatewayRemovesOnlyItsOwnSessions() {
        LiveSessionStore live = new LiveSessionStore(database());
        live.add(session(1_073_741_827L, "gw-a", "alice", 9, NOW)).join();
        live.add(session(1_073_741_828L, "gw-a", "alice", 10, NOW)).join();
        live.add(session(1_073_741_829L, "gw-b", "alice", 11, NOW)).join();

        assertThat(live.remove(1_073_741_829L, "gw-a").join()).isZero();
        assertThat(live.remove(1_073_741_827L, "gw-a").join()).isEqualTo(1);
        assertThat(live.removeAll("gw-a").join()).isEqualTo(1);

        assertThat(live.named(1_073_741_829L, "appdb", NOW.minusSeconds(30)).join())
                .extracting(LiveSession::gatewayInstance)
                .containsExactly("gw-b");
    }

    @Test
    void aKillRequestIsListedForTheGatewayHoldingTheSessionUntilItIsTaken() {
        new LiveSessionStore(database())
                .add(session(1_073_741_830L, "gw-b", "alice", 12, NOW))
                .join();
        KillRequestStore kills = new KillRequestStore(database());
        kills.add(request("kill-1", 1_073_741_830L)).join();

        assertThat(kills.untakenFor("gw-a").join()).isEmpty();
        assertThat(kills.untakenFor("gw-b").join()).containsExactly(request("kill-1", 1_073_741_830L));
        assertThat(kills.answer("kill-1").join()).isEmpty();

        assertThat(kills.take("kill-1", new Answer(Answer.DONE, null), NOW).join())
                .isTrue();

        assertThat(kills.untakenFor("gw-b").join()).isEmpty();
        assertThat(kills.answer("kill-1").join()).contains(new Answer(Answer.DONE, null));
    }

    @Test
    void aKillRequestIsListedForTheGatewayItNamesEvenOnceTheSessionHasEnded() {
        KillRequestStore kills = new KillRequestStore(database());
        kills.add(request("kill-6", 1_073_741_835L, "gw-a")).join();
        kills.add(request("kill-7", 1_073_741_836L, "gw-b")).join();

        assertThat(kills.untakenFor("gw-a").join()).containsExactly(request("kill-6", 1_073_741_835L, "gw-a"));
    }

    @Test
    void aKillRequestIsTakenOnceAndThenCanNoLongerBeWithdrawn() {
        KillRequestStore kills = new KillRequestStore(database());
        kills.add(request("kill-2", 1_073_741_831L)).join();

        assertThat(kills.take("kill-2", new Answer(Answer.DENIED, "You are not owner of thread 1073741831"), NOW)
                        .join())
                .isTrue();
        assertThat(kills.take("kill-2", new Answer(Answer.DONE, null), NOW).join())
                .isFalse();
        assertThat(kills.withdraw("kill-2").join()).isFalse();
        assertThat(kills.answer("kill-2").join())
                .contains(new Answer(Answer.DENIED, "You are not owner of thread 1073741831"));
    }

    @Test
    void aKillRequestTakenToBeCarriedOutIsAnsweredOnceItsOutcomeIsSettled() {
        KillRequestStore kills = new KillRequestStore(database());
        kills.add(request("kill-5", 1_073_741_834L)).join();

        assertThat(kills.take("kill-5", Answer.CARRYING_OUT, NOW).join()).isTrue();
        assertThat(kills.withdraw("kill-5").join()).isFalse();
        assertThat(kills.answer("kill-5").join()).contains(Answer.CARRYING_OUT);

        assertThat(kills.settle("kill-5", new Answer(Answer.FAILED, "no answer from the backend"))
                        .join())
                .isTrue();
        assertThat(kills.settle("kill-5", new Answer(Answer.DONE, null)).join()).isFalse();
        assertThat(kills.answer("kill-5").join()).contains(new Answer(Answer.FAILED, "no answer from the backend"));
    }

    @Test
    void aWithdrawnKillRequestIsNeverTaken() {
        KillRequestStore kills = new KillRequestStore(database());
        kills.add(request("kill-3", 1_073_741_832L)).join();

        assertThat(kills.withdraw("kill-3").join()).isTrue();

        assertThat(kills.take("kill-3", new Answer(Answer.DONE, null), NOW).join())
                .isFalse();
        assertThat(kills.answer("kill-3").join()).isEmpty();
    }

    @Test
    void oldKillRequestsArePruned() {
        KillRequestStore kills = new KillRequestStore(database());
        kills.add(request("kill-4", 1_073_741_833L)).join();

        assertThat(kills.prune(NOW).join()).isZero();
        assertThat(kills.prune(NOW.plusMillis(1)).join()).isEqualTo(1);
    }

    private static InstanceLeaseStore.Lease lease(String holder, Instant at) {
        return new InstanceLeaseStore.Lease("gw-a", holder, "host-" + holder, at, at);
    }

    @Test
    void ofTwoProcessesTakingAFreeInstanceLeaseOnlyOneGetsIt() {
        InstanceLeaseStore leases = new InstanceLeaseStore(database());

        assertThat(leases.take(lease("first", NOW), null).join()).isTrue();
        assertThat(leases.take(lease("second", NOW), null).join()).isFalse();
        assertThat(leases.current("gw-a").join()).contains(lease("first", NOW));
    }

    @Test
    void anInstanceLeaseIsTakenOverOnlyAsItWasSeenAndThenItsFormerHolderCannotRenewIt() {
        InstanceLeaseStore leases = new InstanceLeaseStore(database());
        InstanceLeaseStore.Lease crashed = lease("crashed", NOW.minusSeconds(60));
        leases.take(crashed, null).join();

        assertThat(leases.take(lease("restarted", NOW), crashed).join()).isTrue();
        assertThat(leases.take(lease("late", NOW), crashed).join()).isFalse();
        assertThat(leases.renew("gw-a", "crashed", NOW).join()).isFalse();
        assertThat(leases.renew("gw-a", "restarted", NOW.plusSeconds(5)).join()).isTrue();
        assertThat(leases.current("gw-a").join().orElseThrow().renewedAt()).isEqualTo(NOW.plusSeconds(5));
    }

    @Test
    void anInstanceLeaseGivenUpIsFreeAndOnlyItsHolderCanGiveItUp() {
        InstanceLeaseStore leases = new InstanceLeaseStore(database());
        leases.take(lease("first", NOW), null).join();

        assertThat(leases.release("gw-a", "someone-else").join()).isFalse();
        assertThat(leases.release("gw-a", "first").join()).isTrue();
        assertThat(leases.current("gw-a").join()).isEmpty();
    }

    /** Empties the fleet's tables, for the next test. */
    static void emptyFleetTables(StateDatabase database) {
        database.call(connection -> {
                    try (var statement = connection.createStatement()) {
                        statement.executeUpdate("DELETE FROM connection_id_blocks");
                        statement.executeUpdate("DELETE FROM live_sessions");
                        statement.executeUpdate("DELETE FROM kill_requests");
                        statement.executeUpdate("DELETE FROM instance_leases");
                    }
                    return null;
                })
                .join();
    }
}
