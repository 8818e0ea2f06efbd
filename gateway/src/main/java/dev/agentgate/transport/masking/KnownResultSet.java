package dev.agentgate.transport.masking;

import dev.agentgate.enforcement.masking.ResponseMasking;
import dev.agentgate.protocol.ColumnDefinition41Packet;
import dev.agentgate.protocol.MySQLFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;

/**
 * The last masked result set of a session as the backend described it, and what its masking made of that
 * description. A session that repeats a query with other literals gets result sets described by the same bytes,
 * and a settled statement shape answers each of its statements with one masking instance; since a plan is a
 * function of the masking instance, the result's index and the definitions ({@link ResponseMasking#planFor}), the
 * next result set described by the same bytes under the same masking and index gets exactly what the last one got,
 * without parsing its definitions or planning again. A description of more than {@link #MAX_REMEMBERED_BYTES} is
 * not kept. One per session, confined to its event loop.
 */
public final class KnownResultSet {

    /** A wide result set's definitions are not kept: comparing them would cost about what parsing them does. */
    static final int MAX_REMEMBERED_BYTES = 16 * 1024;

    /**
     * What a result set's definitions were made into.
     *
     * @param definitions the definitions as the backend sent them
     * @param masker null when the plan masks no column (rows pass untouched)
     * @param rewrittenDefinitions per column, the payload to send instead of the backend's; null where it is sent as is
     */
    record Described(
            List<ColumnDefinition41Packet> definitions, ResultSetMasker masker, byte[][] rewrittenDefinitions) {}

    private ResponseMasking masking;
    private int resultIndex;
    private byte[][] definitionPayloads;
    private Described described;

    /** What was made of a result set described by exactly these frames' payloads before, under the same masking; else null. */
    Described find(ResponseMasking masking, int resultIndex, List<MySQLFrame> definitions) {
        if (described == null
                || masking != this.masking
                || resultIndex != this.resultIndex
                || definitions.size() != definitionPayloads.length) {
            return null;
        }
        for (int i = 0; i < definitionPayloads.length; i++) {
            if (!sameBytes(definitions.get(i).payload(), definitionPayloads[i])) {
                return null;
            }
        }
        return described;
    }

    /** Keeps what was made of the result set these frames describe, in place of the last one. */
    void remember(ResponseMasking masking, int resultIndex, List<MySQLFrame> definitions, Described described) {
        long bytes = 0;
        for (MySQLFrame definition : definitions) {
            bytes += definition.payload().readableBytes();
        }
        if (bytes > MAX_REMEMBERED_BYTES) {
            this.described = null;
            return;
        }
        byte[][] payloads = new byte[definitions.size()][];
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = ByteBufUtil.getBytes(definitions.get(i).payload());
        }
        this.masking = masking;
        this.resultIndex = resultIndex;
        this.definitionPayloads = payloads;
        this.described = described;
    }

    private static boolean sameBytes(ByteBuf payload, byte[] remembered) {
        if (payload.readableBytes() != remembered.length) {
            return false;
        }
        int start = payload.readerIndex();
        for (int i = 0; i < remembered.length; i++) {
            if (payload.getByte(start + i) != remembered[i]) {
                return false;
            }
        }
        return true;
    }
}
