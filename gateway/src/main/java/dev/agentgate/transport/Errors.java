package dev.agentgate.transport;

import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;

/** The error packets the gateway itself sends, with its own wording. */
final class Errors {

    /** ER_NET_PACKETS_OUT_OF_ORDER. */
    static final int PACKETS_OUT_OF_ORDER = 1156;
    /** ER_MALFORMED_PACKET. */
    static final int MALFORMED_PACKET = 1835;

    private Errors() {}

    static ErrPacket of(MySQLErrorCode code, String message) {
        return new ErrPacket(code.code(), code.sqlState(), message);
    }

    static ErrPacket malformed(String message) {
        return new ErrPacket(MALFORMED_PACKET, "HY000", "Malformed communication packet: " + message);
    }

    static ErrPacket outOfOrder(String message) {
        return new ErrPacket(PACKETS_OUT_OF_ORDER, "08S01", "Got packets out of order: " + message);
    }
}
