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

    /** The block ids are given out from, -1 before the first was claimed. */
    private int block = -1;

    private int used;
    /** The claim of the block that comes next, null when none is under way or waiting to be taken up. */
    private CompletableFuture<Integer> following;

    private long claimStartedNanos;

    private FleetConnectionIds(ConnectionIdBlocks blocks, String instance, Clock clock) {
        this.blocks = blocks;
        this.instance = instance;
        this.clock = clock;
    }

    /**
     * Claims the first block, waiting for the database (at start, before any client is accepted). When the database
     * does not answer, the gateway starts all the same (unready, as its readiness check says): clients are refused
     * with {@link NoConnectionIdException} until a block was claimed, which is tried again in the background.
     */
    public static FleetConnectionIds start(ConnectionIdBlocks blocks, String instance, Clock clock) {
        FleetConnectionIds ids = new FleetConnectionIds(blocks, instance, clock);
        synchronized (ids) {
            ids.claimNext();
            try {
                ids.following.join();
            } catch (RuntimeException e) {
                log.warn(
                        "no block of connection ids could be claimed: clients are refused until the state database"
                                + " answers ({})",
                        e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            }
            ids.takeUpFollowing();
        }
        return ids;
    }

    /**
     * @throws NoConnectionIdException while no block was claimed yet (the state database has not answered)
     */
    @Override
    public synchronized int next() {
        if (block < 0 && !takeUpFollowing()) {
            if (mayClaim()) {
                claimNext();
            }
            throw new NoConnectionIdException(
                    "no connection id can be given out yet: the fleet's state database did not answer the claim of a"
                            + " block of ids; try again shortly");
        }
        if (used == BLOCK_SIZE) {
            moveOn();
        }
        if (used >= BLOCK_SIZE / 4 * 3 && mayClaim()) {
            claimNext();
        }
        return firstId(block) + used++;
    }

    /** Called every few seconds: a gateway that has no block yet tries again, not only when a client connects. */
    public synchronized void claimIfNone() {
        if (block < 0 && !takeUpFollowing() && mayClaim()) {
            claimNext();
        }
    }

    private void claimNext() {
        claimStartedNanos = System.nanoTime();
        following = blocks.claim(instance, clock.instant(), STALE_AFTER);
    }

    /** No claim yet, or the last one failed a while ago (not once per new connection while the database is down). */
    private boolean mayClaim() {
        return following == null
                || (following.isCompletedExceptionally()
                        && System.nanoTime() - claimStartedNanos > CLAIM_AGAIN_AFTER_NANOS);
    }

    /** Moves on to the block claimed last, if that claim succeeded. */
    private boolean takeUpFollowing() {
        if (following == null || !following.isDone() || following.isCompletedExceptionally()) {
            return false;
        }
        block = following.join();
        used = 0;
        owned.add(block);
        following = null;
        log.info("connection ids {} to {} are this gateway's (block {})", firstId(block), lastId(block), block);
        return true;
    }

    private void moveOn() {
        if (!takeUpFollowing()) {
            used = 0;
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
