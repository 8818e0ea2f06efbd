package dev.agentgate.transport;

import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLPacket;
import dev.agentgate.session.SessionRegistry;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One client connection from accept to close: its ids, its channel, and (once authenticated) its
 * backend channel. Owns the one place where both are closed and the registry reservation is freed,
 * so that whichever side goes first, the other follows exactly once.
 */
final class ClientConnection {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

    private final int connectionId;
    private final String sessionId;
    private final Channel client;
    private final ClientWriter writer;
    private final SessionRegistry registry;
    private final Instant startedAt = Instant.now();
    private Channel backend;
    private HandshakeBudget.Slot connectionPhase;
    private boolean closed;
    /** The backend's channel closed while the client's was open: the server ended the session, or was lost. */
    private boolean backendClosedFirst;
    /** Runs at close, before the session's place is given back (see {@link #beforeRelease}). */
    private Runnable beforeRelease = () -> {};

    ClientConnection(int connectionId, String sessionId, Channel client, SessionRegistry registry) {
        this.connectionId = connectionId;
        this.sessionId = sessionId;
        this.client = client;
        this.writer = new ClientWriter(client);
        this.registry = registry;
        client.closeFuture().addListener(f -> close());
    }

    int connectionId() {
        return connectionId;
    }

    String sessionId() {
        return sessionId;
    }

    Channel client() {
        return client;
    }

    /** What every packet to the client is written with. */
    ClientWriter writer() {
        return writer;
    }

    /** The client's IP address; channels without one (embedded ones in tests) count as loopback. */
    static InetAddress addressOf(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress inet
                ? inet.getAddress()
                : InetAddress.getLoopbackAddress();
    }

    InetAddress clientAddress() {
        return addressOf(client);
    }

    Instant startedAt() {
        return startedAt;
    }

    /** Keeps {@code slot} of the handshake budget until the client is authenticated or the connection closes. */
    void holdDuringConnectionPhase(HandshakeBudget.Slot slot) {
        this.connectionPhase = slot;
        if (closed) {
            slot.release();
        }
    }

    /** The client is authenticated (or gone): it no longer counts against the handshake budget. */
    void endConnectionPhase() {
        if (connectionPhase != null) {
            connectionPhase.release();
        }
    }

    /**
     * What must happen before the session's place in the registry is given back: whoever waits for the places to
     * free up (a shutdown) then also waits for what this starts, such as the KILL of a statement still running.
     */
    void beforeRelease(Runnable action) {
        this.beforeRelease = action;
    }

    /** Binds the backend channel: closing either side closes the other. */
    void attachBackend(Channel backendChannel) {
        this.backend = backendChannel;
        backendChannel.closeFuture().addListener(f -> {
            backendClosedFirst |= !closed;
            close();
        });
        if (closed) {
            backendChannel.close();
        }
    }

    Channel backend() {
        return backend;
    }

    /** Puts this session's id into the logging context of the current thread. */
    void enterLogContext() {
        MDC.put("session", sessionId);
    }

    /** Writes one packet to the client with the given sequence id. */
    void send(MySQLPacket packet, int sequenceId) {
        writer.send(packet, sequenceId);
    }

    /**
     * Sends an error and closes the connection once it is written. Never throws: whatever goes wrong
     * while the error is being made or written, the connection is closed.
     */
    void failAndClose(ErrPacket error, int sequenceId) {
        if (!client.isActive()) {
            close();
            return;
        }
        try {
            writer.sendAndClose(error, sequenceId);
        } catch (RuntimeException e) {
            log.warn("could not send the error before closing: {}", e.toString());
            close();
        }
    }

    /** Closes both channels and frees the registry reservation; idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        endConnectionPhase();
        try {
            beforeRelease.run();
        } catch (RuntimeException failed) {
            log.warn("closing session: {}", failed.toString());
        }
        registry.release(connectionId);
        client.close();
        if (backend != null) {
            backend.close();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Whether the backend's channel closed before the client's (the session did not end on the gateway's side). */
    boolean backendClosedFirst() {
        return backendClosedFirst;
    }
}
