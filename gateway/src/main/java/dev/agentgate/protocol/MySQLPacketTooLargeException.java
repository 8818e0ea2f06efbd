package dev.agentgate.protocol;

import io.netty.handler.codec.TooLongFrameException;

/**
 * A logical packet announced a payload larger than the configured maximum. The decoder throws it as soon as a
 * chunk header shows the limit is exceeded (before buffering the payload) and discards all later input, because
 * the stream cannot be resynchronised; the transport answers ER_NET_PACKET_TOO_LARGE and closes.
 */
public final class MySQLPacketTooLargeException extends TooLongFrameException {

    private final long payloadBytes;
    private final int maxPayloadBytes;

    public MySQLPacketTooLargeException(long payloadBytes, int maxPayloadBytes) {
        super("MySQL packet payload of at least " + payloadBytes + " bytes exceeds the maximum of " + maxPayloadBytes
                + " bytes");
        this.payloadBytes = payloadBytes;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public long payloadBytes() {
        return payloadBytes;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }
}
