package dev.agentgate.session;

import dev.agentgate.state.ConnectionIdBlocks;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection ids that are unique across a fleet: each gateway hands out ids only from blocks of {@value #BLOCK_SIZE}
 * it claimed in the state database. The first block is claimed at start; the next one is claimed in the background
 * once three quarters of the current one are used, so that handing out an id never waits for the database.
 * Thread-safe.
 */
public final class FleetConnectionIds implements ConnectionIds {

    private static final Logger log = LoggerFactory.getLogger(FleetConnectionIds.class);

    public static final int BLOCK_SIZE = 1 << 16;

    /** The blocks between {@link SessionRegistry#FIRST_CONNECTION_ID} and 2^31 - 1. */
    public static final int BLOCKS =
            (int) ((Integer.MAX_VALUE + 1L - SessionRegistry.FIRST_CONNECTION_ID) / BLOCK_SIZE);

    /**
     * A block its owner has not renewed for this long is free again: its owner is gone (owners renew theirs with
     * every heartbeat, see {@link FleetSessions}).
     */
    public static final Duration STALE_AFTER = Duration.ofMinutes(10);

    private static final long CLAIM_AGAIN_AFTER_NANOS = Duration.ofSeconds(10).toNanos();

    private final ConnectionIdBlocks blocks;
    private final String instance;
    private final Clock clock;
    /** Every block this process claimed: all of them are renewed while it runs, since old ids may still be in use. */
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();

    private int block;
    private int used;
    /** The claim of the block that comes next, null before one is needed. */
    private CompletableFuture<Integer> following;

    private long claimStartedNanos;

    private FleetConnectionIds(ConnectionIdBlocks blocks, String instance, Clock clock, int first) {
        this.blocks = blocks;
        this.instance = instance;
        this.clock = clock;
        this.block = first;
        owned.add(first);
    }

    /**
     * Claims the first block, waiting for the database (at start, before any client is accepted).
     *
     * @throws dev.agentgate.state.StateUnavailableException when the database cannot be reached or has no free block
     */
    public static FleetConnectionIds claim(ConnectionIdBlocks blocks, String instance, Clock clock) {
        int first = StateCalls.await(blocks.claim(instance, clock.instant(), STALE_AFTER));
        log.info("connection ids {} to {} are this gateway's (block {})", firstId(first), lastId(first), first);
        return new FleetConnectionIds(blocks, instance, clock, first);
    }

    @Override
    public synchronized int next() {
        if (used == BLOCK_SIZE) {
            moveOn();
        }
        if (used >= BLOCK_SIZE / 4 * 3 && mayClaim()) {
            claimStartedNanos = System.nanoTime();
            following = blocks.claim(instance, clock.instant(), STALE_AFTER);
        }
        return firstId(block) + used++;
    }

    /** No claim yet, or the last one failed a while ago (not once per new connection while the database is down). */
    private boolean mayClaim() {
        return following == null
                || (following.isCompletedExceptionally()
                        && System.nanoTime() - claimStartedNanos > CLAIM_AGAIN_AFTER_NANOS);
    }

    private void moveOn() {
        used = 0;
        if (following != null && following.isDone() && !following.isCompletedExceptionally()) {
            block = following.join();
            owned.add(block);
            following = null;
            log.info("connection ids {} to {} are this gateway's too (block {})", firstId(block), lastId(block), block);
        } else {
            // still unique across the fleet, as the block is this gateway's; the registry skips ids still in use
            log.warn(
                    "no further block of connection ids could be claimed yet: ids of block {} are given out again",
                    block);
        }
    }

    /** The blocks to renew. */
    public List<Integer> owned() {
        return List.copyOf(owned);
    }

    static int firstId(int block) {
        return SessionRegistry.FIRST_CONNECTION_ID + block * BLOCK_SIZE;
    }

    static int lastId(int block) {
        return firstId(block) + BLOCK_SIZE - 1;
    }
}
