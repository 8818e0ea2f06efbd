package dev.agentgate.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.StateConfig;
import dev.agentgate.state.ConnectionIdBlocks;
import dev.agentgate.state.StateDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection ids from blocks claimed in the state database (an SQLite file here). */
class FleetConnectionIdsTest {

    @TempDir
    Path directory;

    private StateDatabase database;
    private ConnectionIdBlocks blocks;

    @BeforeEach
    void open() {
        database = StateDatabase.open(StateConfig.sqlite(directory.resolve("state.db")));
        blocks = new ConnectionIdBlocks(database, FleetConnectionIds.BLOCKS);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void twoGatewaysHandOutIdsOfTheirOwnBlocksOnly() {
        FleetConnectionIds a = FleetConnectionIds.start(blocks, "gw-a", Clock.systemUTC());
        FleetConnectionIds b = FleetConnectionIds.start(blocks, "gw-b", Clock.systemUTC());

        assertThat(a.next()).isEqualTo(SessionRegistry.FIRST_CONNECTION_ID);
        assertThat(b.next()).isEqualTo(SessionRegistry.FIRST_CONNECTION_ID + FleetConnectionIds.BLOCK_SIZE);
        assertThat(a.next()).isEqualTo(SessionRegistry.FIRST_CONNECTION_ID + 1);
    }

    @Test
    void theLastBlockEndsAtTheLargestSignedIntId() {
        assertThat(FleetConnectionIds.lastId(FleetConnectionIds.BLOCKS - 1)).isEqualTo(Integer.MAX_VALUE);
        assertThat(FleetConnectionIds.BLOCKS).isEqualTo(16384);
    }

    @Test
    void aGatewayThatUsedThreeQuartersOfItsBlockClaimsTheNextAndMovesOnToItWhenTheFirstIsUsedUp() throws Exception {
        FleetConnectionIds a = FleetConnectionIds.start(blocks, "gw-a", Clock.systemUTC());
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < FleetConnectionIds.BLOCK_SIZE / 4 * 3 + 1; i++) {
            ids.add(a.next());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (blocks.owner(1).join() == null) {
            assertThat(System.nanoTime()).as("block 1 claimed").isLessThan(deadline);
            Thread.sleep(20);
        }
        while (ids.size() < FleetConnectionIds.BLOCK_SIZE) {
            ids.add(a.next());
        }

        int firstOfTheNext = a.next();

        assertThat(blocks.owner(1).join()).isEqualTo("gw-a");
        assertThat(firstOfTheNext).isEqualTo(FleetConnectionIds.firstId(1));
        assertThat(ids).hasSize(FleetConnectionIds.BLOCK_SIZE).doesNotContain(firstOfTheNext);
        assertThat(a.owned()).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void aGatewayWithoutAFurtherBlockGivesOutTheIdsOfItsOwnBlockAgain() {
        ConnectionIdBlocks one = new ConnectionIdBlocks(database, 1);
        FleetConnectionIds a = FleetConnectionIds.start(one, "gw-a", Clock.systemUTC());
        for (int i = 0; i < FleetConnectionIds.BLOCK_SIZE; i++) {
            a.next();
        }

        assertThat(a.next()).isEqualTo(SessionRegistry.FIRST_CONNECTION_ID);
    }

    @Test
    void whileTheStateDatabaseIsDownNoIdIsGivenOutAndOnceItAnswersABlockIsClaimed() throws Exception {
        Path blocker = Files.createFile(directory.resolve("not-a-directory"));
        try (StateDatabase unreachable =
                StateDatabase.connectingOnFirstUse(StateConfig.sqlite(blocker.resolve("state.db")))) {
            FleetConnectionIds ids = FleetConnectionIds.start(
                    new ConnectionIdBlocks(unreachable, FleetConnectionIds.BLOCKS), "gw-a", Clock.systemUTC());
            SessionRegistry registry = new SessionRegistry(10, ids);

            assertThatThrownBy(registry::reserve)
                    .isInstanceOf(NoConnectionIdException.class)
                    .hasMessageContaining("the fleet's state database did not answer");
            assertThat(registry.reservedCount()).isZero();

            Files.delete(blocker);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Integer id = null;
            while (id == null) {
                assertThat(System.nanoTime())
                        .as("a block claimed once the database answers")
                        .isLessThan(deadline);
                ids.claimIfNone();
                try {
                    id = registry.reserve().orElseThrow();
                } catch (NoConnectionIdException notYet) {
                    Thread.sleep(200);
                }
            }
            assertThat(id).isEqualTo(SessionRegistry.FIRST_CONNECTION_ID);
        }
    }
}
