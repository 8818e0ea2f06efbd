package dev.agentgate.protocol;

/**
 * A MySQL packet that cannot be parsed: too short, a bad length prefix, a missing terminator, or a packet
 * that is not allowed where it arrived. The message names what was being read so the cause is visible in logs.
 */
public class MalformedPacketException extends RuntimeException {

    public MalformedPacketException(String message) {
        super(message);
    }
}
