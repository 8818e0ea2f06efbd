package dev.agentgate.transport;

import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.session.SessionEvents;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import java.nio.channels.ClosedChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds back the last packet written for the command in flight, so that the end of each response (its OK, ERR or
 * EOF) reaches the client only once the session's events sink says the command's records are durable: a gateway
 * killed at any moment loses at most the statement in flight, never one whose answer the client saw. Every packet of
 * a response is written one packet late; at the command's completion the one still held is its end. Where the
 * gateway waits for the client in the middle of a command (an auth switch, a LOCAL INFILE request), what is held is
 * written at once. Confined to the session's event loop.
 */
final class HeldResponseEnd {

    private static final Logger log = LoggerFactory.getLogger(HeldResponseEnd.class);

    private final ClientConnection connection;
    private final SessionEvents sink;
    private final boolean refuseUnkept;
    private final Runnable goOn;
    private MySQLFrame latest;
    /** Where {@link #latest} is to be written with; null for a write nobody listens to. */
    private ChannelPromise latestPromise;
    /** The command whose end is held until its records are durable; 0 while none is. */
    private long awaiting;

    /**
     * @param refuseUnkept whether a command whose records are not durable ends with an error in place of its end
     *     ({@code recording.on_failure: refuse}); else the end goes out anyway (the recording tells the gap)
     * @param goOn takes up the next command once the held end went out
     */
    HeldResponseEnd(ClientConnection connection, SessionEvents sink, boolean refuseUnkept, Runnable goOn) {
        this.connection = connection;
        this.sink = sink;
        this.refuseUnkept = refuseUnkept;
        this.goOn = goOn;
    }

    /** {@code frame} belongs to the command in flight: the one held before it is written, this one held. */
    void hold(MySQLFrame frame, ChannelPromise promise) {
        writeLatest();
        latest = frame;
        latestPromise = promise;
    }

    /** The client is to answer what was written: nothing of the command in flight may stay held. */
    void writeLatest() {
        if (latest != null && awaiting == 0) {
            write(latest, latestPromise);
            latest = null;
            latestPromise = null;
        }
    }

    /**
     * Something outside the command's response is written (the session ends with an error): the response so far
     * goes first, but an end still waiting to be durable is dropped; the client gets that error in its place.
     */
    void beforeOtherWrite() {
        if (awaiting != 0) {
            drop();
        } else {
            writeLatest();
        }
    }

    /** Whether a command's end waits for its records to be durable: no other command may start meanwhile. */
    boolean isHolding() {
        return awaiting != 0;
    }

    /** Command {@code commandNo} is completed (its last event given to the sink): what is held is its end. */
    void completed(long commandNo) {
        if (latest == null || awaiting != 0) {
            return; // the command wrote nothing to hold (or it ended with the session)
        }
        awaiting = commandNo;
        Channel client = connection.client();
        sink.onDurably(connection.sessionId(), commandNo, client.eventLoop(), new SessionEvents.Durability() {
            @Override
            public void kept() {
                release(commandNo, null);
            }

            @Override
            public void notKept(String why) {
                release(commandNo, why);
            }
        });
    }

    /** The session closed: nothing held goes out. */
    void discard() {
        drop();
    }

    private void release(long commandNo, String notKept) {
        if (awaiting != commandNo || connection.isClosed()) {
            return;
        }
        awaiting = 0;
        MySQLFrame end = latest;
        ChannelPromise promise = latestPromise;
        latest = null;
        latestPromise = null;
        connection.enterLogContext();
        if (notKept != null && refuseUnkept) {
            log.warn("command {} ran but its record is not durable; the client gets an error: {}", commandNo, notKept);
            int sequenceId = end.sequenceId();
            end.release();
            write(
                    MySQLFrame.fromPacket(
                            notDurable(notKept), sequenceId, connection.client().alloc()),
                    promise);
        } else {
            if (notKept != null) {
                log.warn("command {}: its record is not durable, its answer goes out anyway: {}", commandNo, notKept);
            }
            write(end, promise);
        }
        connection.client().flush();
        goOn.run();
    }

    /** ER_OPTION_PREVENTS_STATEMENT, worded as a refusal for a recording that cannot keep up. */
    static ErrPacket notDurable(String why) {
        return new ErrPacket(
                1290,
                "HY000",
                "agentgate refuses statements while they cannot be recorded (recording.on_failure: refuse): this one"
                        + " ran on the target, but its record is not durable: " + why);
    }

    private void write(MySQLFrame frame, ChannelPromise promise) {
        if (promise == null) {
            connection.writer().writeUnwatched(frame);
        } else {
            connection.client().write(frame, promise);
        }
    }

    private void drop() {
        if (latest != null) {
            latest.release();
            if (latestPromise != null) {
                latestPromise.tryFailure(new ClosedChannelException());
            }
        }
        latest = null;
        latestPromise = null;
        awaiting = 0;
    }
}
