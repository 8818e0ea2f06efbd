package dev.agentgate.transport;

import dev.agentgate.protocol.MySQLFrameDecoder;
import dev.agentgate.protocol.MySQLFrameRun;
import io.netty.channel.Channel;

/**
 * Asks the backend's frame decoder for rows as runs ({@link MySQLFrameRun}) while the response in flight is in rows
 * the relay may pass on as received, and for single frames again as soon as it is not. A large result then costs a
 * decode, a trip through the pipeline and a relay step per read instead of per row. Asks the decoder only when what
 * is wanted changes. Confined to the session's event loop.
 */
final class BackendRowRuns {

    private final ClientConnection connection;
    /** What the decoder was last asked for; null: single frames. */
    private MySQLFrameRun.Rows asked;

    BackendRowRuns(ClientConnection connection) {
        this.connection = connection;
    }

    /** @param rows the rows to take as runs from the next packet on; null: none */
    void ask(MySQLFrameRun.Rows rows) {
        if (rows == asked) {
            return;
        }
        Channel backend = connection.backend();
        MySQLFrameDecoder decoder = backend == null ? null : backend.pipeline().get(MySQLFrameDecoder.class);
        if (decoder != null) {
            decoder.emitRuns(rows);
            asked = rows;
        }
    }

    /** The backend's decoder hands on single frames only, whatever it was asked before (its reader is leaving). */
    static void stopIn(Channel backend) {
        MySQLFrameDecoder decoder = backend.pipeline().get(MySQLFrameDecoder.class);
        if (decoder != null) {
            decoder.emitRuns(null);
        }
    }
}
