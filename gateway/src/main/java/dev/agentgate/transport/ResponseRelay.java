package dev.agentgate.transport;

import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLFrameRun;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.PacketRole;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's side of the command phase: relays the response to the command in flight to the client, frame by
 * frame and without copying, through the session's {@link MaskingSession} when that masks it, and knows from the
 * command's {@link CommandResponseTracker} where the response ends. Rows that nothing needs one at a time are asked
 * of the backend's decoder as runs, a read's worth each ({@link BackendRowRuns}), and passed on (or masked) as one.
 * The backend is read only while the client can take more (backpressure). A response that cannot be masked is never passed on: the client gets an error instead
 * and the session ends.
 *
 * <p>This runs per row: nothing is decoded and no logging context is set except where something is logged.
 * Both channels share one event loop, so all state here is confined to it.
 */
final class ResponseRelay {

    private static final Logger log = LoggerFactory.getLogger(ResponseRelay.class);

    private final ClientConnection connection;
    private final PreparedStatements prepared;
    private final MaskingSession masking;
    private final SessionStateRelay sessionState;
    private final ResponseCut cut;
    private final long capabilities;
    private final Runnable backendEnding;
    private final BackendRowRuns runs;
    private CommandResponseTracker inFlight;
    private CommandInFlight command;
    private PacketRole lastRole;
    /** A response could not be masked: the error is on its way and the session ends; nothing more is relayed. */
    private boolean failing;

    /**
     * @param cut withholds what follows a cut (max_rows, a cancelled statement)
     * @param sessionState follows the session state changes of OK packets; null when the backend does not report them
     */
    ResponseRelay(
            ClientConnection connection,
            PreparedStatements prepared,
            MaskingSession masking,
            ResponseCut cut,
            SessionStateRelay sessionState) {
        this(connection, prepared, masking, cut, sessionState, 0, () -> {});
    }

    /**
     * @param capabilities the flags negotiated with the backend, to read the end of a response with
     * @param backendEnding the backend is ending the session (it said why, or sent what no command asked for)
     */
    ResponseRelay(
            ClientConnection connection,
            PreparedStatements prepared,
            MaskingSession masking,
            ResponseCut cut,
            SessionStateRelay sessionState,
            long capabilities,
            Runnable backendEnding) {
        this.connection = connection;
        this.prepared = prepared;
        this.masking = masking;
        this.cut = cut;
        this.sessionState = sessionState;
        this.capabilities = capabilities;
        this.backendEnding = backendEnding;
        this.runs = new BackendRowRuns(connection);
    }

    /** A command went to the backend and its response comes next. */
    void expect(CommandResponseTracker tracker) {
        expect(tracker, null);
    }

    /** @param inFlight what the relay knows of the command: its rows and end are counted there; null: nowhere */
    void expect(CommandResponseTracker tracker, CommandInFlight inFlight) {
        this.inFlight = tracker;
        this.command = inFlight;
    }

    /** Whether a response is on its way, or the session is ending because one could not be masked. */
    boolean isBusy() {
        return inFlight != null || failing;
    }

    /** Whether the response that ended last ended without an error (and was not cut short with one). */
    boolean succeeded() {
        return lastRole != PacketRole.ERR && !cut.isCut();
    }

    /**
     * Passes one backend frame on to the client (written; flushed when the client is full or, by the caller, when
     * the response is complete).
     *
     * @return whether this frame completed the response to the command in flight
     */
    boolean relay(MySQLFrame received) {
        boolean complete = relayFrame(received);
        runs.ask(runsWanted());
        return complete;
    }

    /**
     * Passes on rows the backend's decoder handed on as one run (it was asked to, {@link BackendRowRuns}), as
     * {@link #relay(MySQLFrame)} would one by one, where nothing looks at them one by one: no cut among them, nobody
     * taking each packet, and masking (if any) masking the whole run. Rows never complete a response.
     *
     * @return false, and nothing done, where the rows must go one by one: the caller relays each frame of the run
     */
    boolean relay(MySQLFrameRun run) {
        if (inFlight == null || runsWanted() != run.rows() || !cut.passesRows(run.packets())) {
            return false;
        }
        ByteBuf rows = run.bytes();
        if (masking.masks()) {
            try {
                rows = masking.rowsOf(run);
            } catch (RuntimeException unmaskable) {
                failUnmaskable(unmaskable);
                return true;
            }
            if (rows == null) {
                return false;
            }
        }
        inFlight.acceptRows(run);
        cut.passedRows(run.packets());
        if (command != null) {
            command.rows += run.packets();
        }
        connection.writer().writeRows(rows);
        Channel client = connection.client();
        if (!client.isWritable()) {
            pauseBackendAndFlush(client);
        }
        return true;
    }

    /** The rows to ask the backend's decoder for as runs now: in rows that nothing needs one by one; else none. */
    private MySQLFrameRun.Rows runsWanted() {
        return inFlight == null
                        || failing
                        || (masking.masks() && !masking.takesRowRuns())
                        || !connection.writer().takesRuns()
                ? null
                : inFlight.rowsAhead();
    }

    private boolean relayFrame(MySQLFrame received) {
        Channel client = connection.client();
        ClientWriter writer = connection.writer();
        MySQLFrame frame = received;
        if (inFlight == null) {
            if (failing) {
                frame.release();
            } else {
                endOnUnsolicited(frame);
            }
            return false;
        }
        lastRole = inFlight.accept(frame.payload());
        if (sessionState != null) {
            frame = sessionState.relay(lastRole, frame);
        }
        prepared.onResponse(lastRole, frame.payload());
        boolean complete = inFlight.isComplete();
        if (command != null && complete) {
            command.responseEnded(lastRole, frame.payload(), capabilities);
        }
        if (cut.withholds(lastRole, frame)) {
            // the client got an error in its place; the rest of the response is read and dropped
        } else {
            if (command != null && (lastRole == PacketRole.TEXT_ROW || lastRole == PacketRole.BINARY_ROW)) {
                command.rows++;
            }
            if (!masking.masks()) {
                writer.write(frame);
            } else if (!relayMasked(frame)) {
                return false;
            }
            if (lastRole == PacketRole.LOCAL_INFILE_REQUEST) {
                writer.writeHeld(); // the client answers it with the file: it must not wait held back
            }
        }
        if (complete) {
            inFlight = null;
            if (command != null && cut.isCut()) {
                command.ended(cut.error());
            }
            command = null;
            masking.end(succeeded());
            return true;
        }
        if (!client.isWritable()) {
            pauseBackendAndFlush(client);
        }
        return false;
    }

    /**
     * Stops reading the backend until the client drains, then flushes. In this order because a flush the socket
     * takes at once (plain TCP) makes the client writable again from inside {@code flush()}: that event resumes
     * the backend, and a pause after the flush would stop it for good, with nothing left to resume it.
     */
    private void pauseBackendAndFlush(Channel client) {
        connection.backend().config().setAutoRead(false);
        client.flush();
    }

    /**
     * A frame outside any command is nothing the client asked for and nothing masking has looked at. A server
     * that ends the connection may first say why in an ERR: that alone is passed on, unchanged; anything else is
     * dropped. Either way the session ends, since the backend is no longer in a state the gateway knows.
     */
    private void endOnUnsolicited(MySQLFrame frame) {
        connection.enterLogContext();
        failing = true;
        backendEnding.run();
        connection.backend().config().setAutoRead(false);
        if (isWellFormedError(frame)) {
            log.info("backend sent an error outside any command; passing it on and closing the session");
            connection.writer().writeAndClose(frame);
            return;
        }
        frame.release();
        log.warn("closing session: backend sent a packet outside any command");
        connection.failAndClose(
                Errors.malformed("the backend sent a packet outside any command; agentgate ends the session"), 0);
    }

    private static boolean isWellFormedError(MySQLFrame frame) {
        try {
            ErrPacket.read(new MySQLPayload(frame.payload().duplicate()));
            return true;
        } catch (RuntimeException notAnError) {
            return false;
        }
    }

    /** @return false when the response could not be masked: the client gets an error instead and the session ends */
    private boolean relayMasked(MySQLFrame frame) {
        try {
            masking.relay(lastRole, frame);
            return true;
        } catch (RuntimeException unmaskable) {
            failUnmaskable(unmaskable);
            return false;
        }
    }

    /** The client gets an error instead of the response, and the session ends; nothing more is relayed. */
    private void failUnmaskable(RuntimeException unmaskable) {
        connection.enterLogContext();
        log.warn("closing session: a response under masking could not be masked: {}", unmaskable.getMessage());
        inFlight = null;
        failing = true;
        connection.backend().config().setAutoRead(false);
        connection.failAndClose(
                Errors.malformed("a backend response could not be masked; agentgate ends the session"),
                masking.abandon());
    }

    /** The backend has no more to read for now: what was written reaches the client. */
    void onReadComplete() {
        connection.client().flush();
    }

    /** The client can take more again: read the backend again. */
    void onClientWritabilityChanged() {
        if (connection.backend() != null && connection.client().isWritable() && !failing) {
            connection.backend().config().setAutoRead(true);
        }
    }
}
