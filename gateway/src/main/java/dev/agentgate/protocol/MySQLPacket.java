package dev.agentgate.protocol;

/**
 * One MySQL packet's payload (without the 4-byte frame header). Each implementation also offers a
 * {@code static read(MySQLPayload, ...)} factory; the framing layer adds length and sequence id.
 */
public interface MySQLPacket {

    /** Writes this packet's payload bytes at the payload's writer index. */
    void write(MySQLPayload payload);
}
