package dev.agentgate.transport;

import static dev.agentgate.transport.ApprovedEffectAnswers.exceeded;
import static dev.agentgate.transport.ApprovedEffectAnswers.forClient;
import static dev.agentgate.transport.ApprovedEffectAnswers.notEnded;
import static dev.agentgate.transport.ApprovedEffectAnswers.refusal;
import static dev.agentgate.transport.ApprovedEffectAnswers.why;

import dev.agentgate.enforcement.ApprovedRows;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPacket;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.protocol.ServerStatusFlags;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Runs an approved UPDATE or DELETE so that it changes no more rows than its approvers were shown. A COM_PING first
 * reads the session's transaction state from the server status of its OK. Inside the client's own transaction the
 * statement runs unchecked (the gateway must not end that transaction); with autocommit on, the gateway opens a
 * transaction around it; with autocommit off, the statement opens one itself. When the statement's OK reports more
 * affected rows than approved, the transaction is rolled back and the client gets an error instead; else the
 * gateway's own transaction is committed and the client gets the statement's OK. None of the gateway's own commands
 * reach the client. When the transaction cannot be ended, the session must end: closing the backend connection
 * rolls it back. Runs on the session's event loop; one instance per statement.
 */
final class ApprovedEffectCheck {

    interface Listener {
        /** The statement's response ended with {@code payload} (as the backend sent it), before any COMMIT. */
        void statementAnswered(PacketRole role, ByteBuf payload);

        /** The check is over and the transaction ended: the client gets {@code answer}, the statement's OK or an ERR. */
        void answered(MySQLPacket answer, boolean succeeded);

        /** The gateway's transaction could not be ended: the session must end with {@code error}. */
        void lost(ErrPacket error);

        /** The session is in its own transaction: the statement was sent unchecked, its response is the relay's. */
        void unchecked();
    }

    private enum Step {
        PROBING,
        BEGINNING,
        RUNNING,
        ENDING,
        DONE
    }

    private final Channel backend;
    private final long capabilities;
    private final CommandResponseTracker tracker;
    private final ApprovedRows approved;
    private final Listener listener;
    private MySQLFrame statement;
    private Step step = Step.PROBING;
    /** Whether the gateway opened the transaction (autocommit on), so it commits it too. */
    private boolean opened;
    /** The statement's response was not the single OK or ERR of an UPDATE or DELETE. */
    private boolean unexpected;

    private boolean committing;
    /** What the client gets once the transaction ended: the statement's OK or an ERR. */
    private MySQLPacket answer;

    /** @param statement the client's frame as it goes to the backend; released here */
    ApprovedEffectCheck(
            Channel backend,
            long capabilities,
            MySQLFrame statement,
            CommandResponseTracker tracker,
            ApprovedRows approved,
            Listener listener) {
        this.backend = backend;
        this.capabilities = capabilities;
        this.statement = statement;
        this.tracker = tracker;
        this.approved = approved;
        this.listener = listener;
    }

    void start() {
        backend.writeAndFlush(MySQLFrame.of(0, backend.alloc().buffer(1).writeByte(CommandType.COM_PING.code())));
    }

    boolean isDone() {
        return step == Step.DONE;
    }

    /** The session closed before the statement was sent: it never will be. */
    void abandon() {
        if (statement != null) {
            statement.release();
            statement = null;
        }
        step = Step.DONE;
    }

    void onBackendFrame(MySQLFrame frame) {
        try {
            ByteBuf payload = frame.payload();
            int header = payload.isReadable() ? payload.getUnsignedByte(payload.readerIndex()) : -1;
            switch (step) {
                case PROBING -> onProbe(header, payload);
                case BEGINNING -> onBegin(header, payload);
                case RUNNING -> onStatementResponse(payload);
                case ENDING -> onEnd(header, payload);
                case DONE -> {}
            }
        } finally {
            frame.release();
        }
    }

    private void onProbe(int header, ByteBuf payload) {
        if (header != OkPacket.HEADER) {
            finish(refusal(
                    approved,
                    "the gateway could not read the session's transaction state (" + why(header, payload)
                            + "); the statement was not run"));
            return;
        }
        int status = ok(payload).statusFlags();
        if (ServerStatusFlags.has(status, ServerStatusFlags.SERVER_STATUS_IN_TRANS)) {
            step = Step.DONE;
            listener.unchecked();
            sendStatement();
        } else if (ServerStatusFlags.has(status, ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT)) {
            step = Step.BEGINNING;
            opened = true;
            backend.writeAndFlush(MySQLFrame.fromPacket(new ComQueryPacket("START TRANSACTION"), 0, backend.alloc()));
        } else {
            step = Step.RUNNING;
            sendStatement();
        }
    }

    private void onBegin(int header, ByteBuf payload) {
        if (header != OkPacket.HEADER) {
            finish(refusal(
                    approved,
                    "the gateway could not open a transaction to check its effect in (" + why(header, payload)
                            + "); the statement was not run"));
            return;
        }
        step = Step.RUNNING;
        sendStatement();
    }

    private void onStatementResponse(ByteBuf payload) {
        PacketRole role = tracker.accept(payload);
        if (!tracker.isComplete()) {
            unexpected = true; // a result set, or more results: not the single OK of an UPDATE or DELETE
            return;
        }
        listener.statementAnswered(role, payload);
        if (unexpected || (role != PacketRole.OK && role != PacketRole.ERR)) {
            end(
                    false,
                    refusal(
                            approved,
                            "the statement answered with more than an OK, so the rows it changed could not be"
                                    + " counted; it was rolled back and changed nothing"));
        } else if (role == PacketRole.ERR) {
            ErrPacket error = ErrPacket.read(new MySQLPayload(payload.duplicate()));
            if (opened) {
                end(false, error);
            } else {
                finish(error);
            }
        } else {
            OkPacket ok = ok(payload);
            if (ok.affectedRows() > approved.rows()) {
                end(false, exceeded(approved, ok.affectedRows()));
            } else if (opened) {
                end(true, ok);
            } else {
                // autocommit off: the transaction the statement opened is the client's to commit or roll back
                step = Step.DONE;
                listener.answered(forClient(ok, ok.statusFlags()), true);
            }
        }
    }

    private void onEnd(int header, ByteBuf payload) {
        step = Step.DONE;
        if (header != OkPacket.HEADER) {
            listener.lost(notEnded(approved, committing, why(header, payload)));
        } else if (committing) {
            listener.answered(forClient((OkPacket) answer, ok(payload).statusFlags()), true);
        } else {
            listener.answered(answer, false);
        }
    }

    /** Ends the transaction: COMMIT when {@code commit}, else ROLLBACK; then the client gets {@code then}. */
    private void end(boolean commit, MySQLPacket then) {
        step = Step.ENDING;
        committing = commit;
        answer = then;
        backend.writeAndFlush(
                MySQLFrame.fromPacket(new ComQueryPacket(commit ? "COMMIT" : "ROLLBACK"), 0, backend.alloc()));
    }

    private void finish(MySQLPacket then) {
        step = Step.DONE;
        abandon();
        listener.answered(then, false);
    }

    private void sendStatement() {
        MySQLFrame sending = statement;
        statement = null;
        backend.writeAndFlush(sending);
    }

    private OkPacket ok(ByteBuf payload) {
        return OkPacket.read(new MySQLPayload(payload.duplicate()), capabilities);
    }
}
