package dev.agentgate.transport;

import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPacket;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

/**
 * The one way packets reach the client: everything the gateway writes to it passes here, as it is written (after
 * masking). Each packet counts against the command whose response it belongs to ({@link CommandInFlight#bytes}), and
 * a sink that wants responses gets a copy of its payload; nothing is decoded here. Confined to the session's event
 * loop.
 */
final class ClientWriter {

    private final Channel client;
    private SessionEventEmitter events;

    ClientWriter(Channel client) {
        this.client = client;
    }

    /** The session's command phase starts: what is written is the response to the command in flight there. */
    void tapTo(SessionEventEmitter emitter) {
        this.events = emitter;
    }

    /** Writes without flushing. */
    void write(MySQLFrame frame) {
        tap(frame);
        client.write(frame);
    }

    ChannelFuture writeAndFlush(MySQLFrame frame) {
        tap(frame);
        return client.writeAndFlush(frame);
    }

    /** Writes {@code packet} with the given sequence id and flushes. */
    ChannelFuture send(MySQLPacket packet, int sequenceId) {
        return writeAndFlush(MySQLFrame.fromPacket(packet, sequenceId, client.alloc()));
    }

    void flush() {
        client.flush();
    }

    private void tap(MySQLFrame frame) {
        CommandInFlight command = events == null ? null : events.current();
        if (command == null || command.isEnded()) {
            return;
        }
        command.bytes += frame.payload().readableBytes() + (long) MySQLFrame.HEADER_LENGTH * frame.chunkCount();
        if (events != null && events.wantsResponses()) {
            events.response(command, frame.payload());
        }
    }
}
