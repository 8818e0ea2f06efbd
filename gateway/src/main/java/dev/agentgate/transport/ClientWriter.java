package dev.agentgate.transport;

import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPacket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;

/**
 * The one way packets reach the client: everything the gateway writes to it passes here, as it is written (after
 * masking). Each packet counts against the command whose response it belongs to ({@link CommandInFlight#bytes}), and
 * a sink that wants responses gets a copy of its payload; nothing is decoded here. When the sink keeps events
 * durably, the packets of a response go through its {@link HeldResponseEnd}, so its end waits for the record.
 * Confined to the session's event loop.
 */
final class ClientWriter {

    private final Channel client;
    /** The promise of writes nobody waits for: void, and silent on failure as an unheeded promise would be. */
    private final ChannelPromise unwatched;

    private SessionEventEmitter events;
    private HeldResponseEnd held;
    private ClientWriteBatcher batcher;

    ClientWriter(Channel client) {
        this.client = client;
        this.unwatched = new VoidChannelPromise(client, false);
    }

    /** The session's command phase starts: what is written is the response to the command in flight there. */
    void tapTo(SessionEventEmitter emitter) {
        this.events = emitter;
        this.held = emitter.heldEnd();
    }

    /** Small frames nobody waits for go straight to {@code batcher}, which is in the client's pipeline. */
    void batchThrough(ClientWriteBatcher batcher) {
        this.batcher = batcher;
    }

    /**
     * Writes without flushing. Nobody waits for this write (a void promise; a failed write closes the channel,
     * which ends the session), so the {@link ClientWriteBatcher} may copy it into one write with the frames around it.
     */
    void write(MySQLFrame frame) {
        if (tap(frame) && held != null) {
            held.hold(frame, null);
        } else {
            beforeOtherWrite();
            writeUnwatched(frame);
        }
    }

    /**
     * Writes a frame of a response that is already counted (a {@link HeldResponseEnd} letting one go) as
     * {@link #write} does: unwatched, and batched with the frames around it when small.
     */
    void writeUnwatched(MySQLFrame frame) {
        if (batcher == null || !batcher.append(frame)) {
            client.write(frame, unwatched);
        }
    }

    /**
     * Whether rows of the command in flight may be written as one buffer of packets ({@link #writeRows}): nothing
     * looks at a response's packets one by one here (no sink wants them, no end is held for a record), and the
     * client's write batcher is in place.
     */
    boolean takesRuns() {
        if (batcher == null || held != null || events == null || events.wantsResponses() || !batcher.isInPipeline()) {
            return false;
        }
        CommandInFlight command = events.current();
        return command != null && !command.isEnded();
    }

    /**
     * Writes rows of the command in flight, whole packets headers and all, as {@link #write} would frame by frame:
     * counted against the command, unwatched, in order with what was batched before. Only where {@link #takesRuns}.
     */
    void writeRows(ByteBuf packets) {
        events.current().bytes += packets.readableBytes();
        batcher.appendRows(packets);
    }

    ChannelFuture writeAndFlush(MySQLFrame frame) {
        ChannelFuture written;
        if (tap(frame) && held != null) {
            ChannelPromise promise = client.newPromise();
            held.hold(frame, promise);
            written = promise;
        } else {
            beforeOtherWrite();
            written = client.write(frame);
        }
        client.flush();
        return written;
    }

    /** Writes {@code packet} with the given sequence id and flushes. */
    ChannelFuture send(MySQLPacket packet, int sequenceId) {
        return writeAndFlush(MySQLFrame.fromPacket(packet, sequenceId, client.alloc()));
    }

    /** Sends {@code packet} at once, with what is held before it: the client is to answer it. */
    void sendNow(MySQLPacket packet, int sequenceId) {
        send(packet, sequenceId);
        writeHeld();
        client.flush();
    }

    /**
     * Writes {@code frame} as the session's last and closes the client's channel once it is written; an end held
     * for a record is dropped (the client gets this in its place).
     */
    void writeAndClose(MySQLFrame frame) {
        tap(frame);
        beforeOtherWrite();
        client.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
    }

    void sendAndClose(MySQLPacket packet, int sequenceId) {
        writeAndClose(MySQLFrame.fromPacket(packet, sequenceId, client.alloc()));
    }

    /** The client is to answer what was written (a LOCAL INFILE request): nothing of it stays held. */
    void writeHeld() {
        if (held != null) {
            held.writeLatest();
        }
    }

    /** Whether the end of the last command's response waits for its record (no next command starts meanwhile). */
    boolean isHoldingEnd() {
        return held != null && held.isHolding();
    }

    /** The session closed: whatever is held is given up. */
    void discardHeld() {
        if (held != null) {
            held.discard();
        }
    }

    void flush() {
        client.flush();
    }

    private void beforeOtherWrite() {
        if (held != null) {
            held.beforeOtherWrite();
        }
    }

    /** @return whether {@code frame} belongs to the response of the command in flight */
    private boolean tap(MySQLFrame frame) {
        CommandInFlight command = events == null ? null : events.current();
        if (command == null || command.isEnded()) {
            return false;
        }
        command.bytes += frame.payload().readableBytes() + (long) MySQLFrame.HEADER_LENGTH * frame.chunkCount();
        if (events.wantsResponses()) {
            events.response(command, frame.payload());
        }
        return true;
    }
}
