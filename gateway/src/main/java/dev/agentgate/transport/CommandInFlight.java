package dev.agentgate.transport;

import dev.agentgate.enforcement.GateResult;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.EofPacket;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.PacketRole;
import dev.agentgate.session.KillRequest;
import dev.agentgate.session.SessionInfo;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One client command from the moment the relay takes it up until it is done, exactly once: what it is, how the policy
 * decided it, how much of its response reached the client and how it ended. The relay holds one at a time (pipelined
 * commands wait their turn). Confined to the session's event loop.
 */
final class CommandInFlight {

    /** How a command ended, as {@link dev.agentgate.session.SessionEvent.CommandCompleted} names it. */
    enum Outcome {
        OK,
        ERROR,
        REFUSED;

        String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    final long number;
    final CommandType type;
    /** The statement text: of a COM_QUERY or COM_STMT_PREPARE, the prepared text of a COM_STMT_EXECUTE; else null. */
    final String sql;
    /** The bound values of a COM_STMT_EXECUTE as text; empty for other commands or when nobody records them. */
    final List<String> parameters;

    final Instant receivedAt;
    private final long receivedNanos = System.nanoTime();
    /** The session a permitted {@code KILL CONNECTION} ends, else null. */
    SessionInfo killing;
    /** A KILL to pass on to the gateway of the fleet that holds the session, until it is passed on; else null. */
    KillRequest killElsewhere;

    GateResult verdict;
    long rows;
    long bytes;
    private Outcome outcome = Outcome.OK;
    private long affectedRows;
    private int warnings;
    private int errorCode;
    private String errorMessage;
    private boolean ended;

    /** @param receivedAt null when no sink records the session (the clock is not read then) */
    CommandInFlight(long number, CommandType type, String sql, List<String> parameters, Instant receivedAt) {
        this.number = number;
        this.type = type;
        this.sql = sql;
        this.parameters = parameters;
        this.receivedAt = receivedAt;
    }

    /** The gateway answered in the backend's place: the command never ran. */
    void refused(ErrPacket error) {
        outcome = Outcome.REFUSED;
        errorCode = error == null ? 0 : error.errorCode();
        errorMessage = error == null ? null : error.message();
    }

    /** The response ended with {@code payload} (its last packet, as the backend sent it). */
    void responseEnded(PacketRole role, ByteBuf payload, long capabilities) {
        if (receivedAt == null) {
            return; // nobody records the session: the counts are not read
        }
        try {
            MySQLPayload packet = new MySQLPayload(payload.duplicate());
            if (role == PacketRole.ERR) {
                ended(ErrPacket.read(packet));
            } else if (role == PacketRole.OK) {
                OkPacket ok = OkPacket.read(packet, capabilities);
                affectedRows = ok.affectedRows();
                warnings = ok.warnings();
            } else if (role == PacketRole.RESULTSET_END || role == PacketRole.EOF) {
                warnings = payload.readableBytes() < EofPacket.MAX_LENGTH_EXCLUSIVE
                        ? EofPacket.read(packet).warnings()
                        : OkPacket.read(packet, capabilities).warnings();
            }
        } catch (RuntimeException unreadable) {
            // the record misses the counts; what the client got is not affected
        }
    }

    /** The client got {@code error} in place of (the rest of) the response. */
    void ended(ErrPacket error) {
        outcome = Outcome.ERROR;
        errorCode = error.errorCode();
        errorMessage = error.message();
    }

    /** The session ended before the command was done. */
    void interrupted() {
        if (outcome == Outcome.OK) {
            outcome = Outcome.ERROR;
            errorMessage = "the session ended before the command was done";
        }
    }

    /** Marks the command done; false when it was already (a command ends exactly once). */
    boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        return true;
    }

    boolean isEnded() {
        return ended;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - receivedNanos);
    }

    Outcome outcome() {
        return outcome;
    }

    long affectedRows() {
        return affectedRows;
    }

    int warnings() {
        return warnings;
    }

    int errorCode() {
        return errorCode;
    }

    String errorMessage() {
        return errorMessage;
    }
}
