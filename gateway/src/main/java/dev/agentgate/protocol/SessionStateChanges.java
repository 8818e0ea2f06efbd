package dev.agentgate.protocol;

import io.netty.buffer.Unpooled;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session state information of an OK packet (CLIENT_SESSION_TRACK and SERVER_SESSION_STATE_CHANGED): a
 * sequence of entries {@code type int<1>, data string<lenenc>}. Only system variable changes are kept (type 0,
 * data {@code name string<lenenc>, value string<lenenc>}, possibly several pairs); the other entries (schema,
 * state change, GTIDs, transaction state) are skipped.
 *
 * @param systemVariables variable name (lower case) to its new value, in the order reported; a later report wins
 * @see <a href="https://mariadb.com/kb/en/ok_packet/">OK packet</a>
 */
public record SessionStateChanges(Map<String, String> systemVariables) {

    public static final int SESSION_TRACK_SYSTEM_VARIABLES = 0;

    public SessionStateChanges {
        systemVariables = Collections.unmodifiableMap(new LinkedHashMap<>(systemVariables));
    }

    /** @throws MalformedPacketException when an entry runs past the end */
    public static SessionStateChanges parse(byte[] sessionStateInfo) {
        MySQLPayload entries = new MySQLPayload(Unpooled.wrappedBuffer(sessionStateInfo));
        Map<String, String> variables = new LinkedHashMap<>();
        try {
            while (entries.hasRemaining()) {
                int type = entries.readInt1();
                byte[] data = entries.readStringLenencBytes();
                if (type == SESSION_TRACK_SYSTEM_VARIABLES) {
                    MySQLPayload pairs = new MySQLPayload(Unpooled.wrappedBuffer(data));
                    while (pairs.hasRemaining()) {
                        variables.put(
                                pairs.readStringLenenc().toLowerCase(java.util.Locale.ROOT), pairs.readStringLenenc());
                    }
                }
            }
        } catch (IndexOutOfBoundsException truncated) {
            throw new MalformedPacketException("session state information ends inside an entry");
        }
        return new SessionStateChanges(variables);
    }
}
