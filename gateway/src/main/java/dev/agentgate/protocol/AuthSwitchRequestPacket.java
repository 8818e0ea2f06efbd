package dev.agentgate.protocol;

import java.util.Arrays;

/**
 * Asks the client to authenticate again with another plugin.
 *
 * @param pluginData raw plugin data as sent (for the built-in plugins: a 20-byte scramble plus a NUL)
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html">Protocol::AuthSwitchRequest</a>
 */
public record AuthSwitchRequestPacket(String pluginName, byte[] pluginData) implements MySQLPacket {

    public static final int HEADER = 0xFE;

    public static AuthSwitchRequestPacket read(MySQLPayload payload) {
        payload.readHeader(HEADER, "AuthSwitchRequest");
        return new AuthSwitchRequestPacket(payload.readStringNul(), payload.readStringEofBytes());
    }

    /** The scramble: the plugin data without its trailing NUL. */
    public byte[] seed() {
        int length = pluginData.length;
        return length > 0 && pluginData[length - 1] == 0 ? Arrays.copyOf(pluginData, length - 1) : pluginData.clone();
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(HEADER);
        payload.writeStringNul(pluginName);
        payload.writeBytes(pluginData);
    }
}
