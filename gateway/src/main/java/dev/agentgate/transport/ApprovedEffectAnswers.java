package dev.agentgate.transport;

import dev.agentgate.enforcement.ApprovedRows;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.ServerStatusFlags;
import io.netty.buffer.ByteBuf;

/** What the client of an approved UPDATE or DELETE hears from its effect check, in place of the backend. */
final class ApprovedEffectAnswers {

    /** ER_TABLEACCESS_DENIED_ERROR, as for every refusal of agentgate's policy. */
    private static final int ACCESS_DENIED = 1142;

    private static final int ER_ERROR_DURING_COMMIT = 1180;
    private static final int ER_ERROR_DURING_ROLLBACK = 1181;

    private ApprovedEffectAnswers() {}

    /** The statement did not run, or ran and was rolled back: {@code why}. */
    static ErrPacket refusal(ApprovedRows approved, String why) {
        return new ErrPacket(
                ACCESS_DENIED, "42000", "Access denied by agentgate: request " + approved.requestId() + ": " + why);
    }

    static ErrPacket exceeded(ApprovedRows approved, long changed) {
        return refusal(
                approved,
                "it was approved to change at most " + rows(approved.rows()) + ", but it would change "
                        + rows(changed) + "; the gateway rolled it back, so nothing changed. The data changed since"
                        + " the approval: ask again with the statement as it is now.");
    }

    /** The gateway's COMMIT or ROLLBACK failed: the session ends, and with it the transaction. */
    static ErrPacket notEnded(ApprovedRows approved, boolean committing, String why) {
        return new ErrPacket(
                committing ? ER_ERROR_DURING_COMMIT : ER_ERROR_DURING_ROLLBACK,
                "HY000",
                "agentgate: request " + approved.requestId() + ": the gateway could not "
                        + (committing ? "COMMIT" : "ROLL BACK") + " the transaction it ran the approved statement in ("
                        + why + "); the session ends, which rolls the statement back.");
    }

    /**
     * The statement's OK as the client gets it, with the server status after the gateway's COMMIT. Session state
     * changes are left out: an UPDATE or DELETE changes none of the variables the gateway tracks.
     */
    static OkPacket forClient(OkPacket ok, int statusFlags) {
        return new OkPacket(
                OkPacket.HEADER,
                ok.affectedRows(),
                ok.lastInsertId(),
                statusFlags & ~ServerStatusFlags.SERVER_SESSION_STATE_CHANGED,
                ok.warnings(),
                ok.info(),
                new byte[0]);
    }

    /** What a backend answer other than OK said. */
    static String why(int header, ByteBuf payload) {
        return header == ErrPacket.HEADER
                ? ErrPacket.read(new MySQLPayload(payload.duplicate())).message()
                : "an unexpected answer of the target";
    }

    private static String rows(long count) {
        return count + (count == 1 ? " row" : " rows");
    }
}
