package dev.agentgate.protocol;

import java.util.Map;

/**
 * The client's answer to the greeting. Which fields are present depends on the client's own capability flags:
 * the auth response is lenenc (PLUGIN_AUTH_LENENC_CLIENT_DATA), length-prefixed (SECURE_CONNECTION) or
 * NUL-terminated; the database (CONNECT_WITH_DB), plugin name (PLUGIN_AUTH) and attributes (CONNECT_ATTRS)
 * are optional. Absent strings are empty, absent attributes an empty map.
 *
 * @param connectAttributes in wire order
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html">Protocol::HandshakeResponse41</a>
 */
public record HandshakeResponse41Packet(
        long capabilityFlags,
        int maxPacketSize,
        int characterSet,
        String username,
        byte[] authResponse,
        String database,
        String authPluginName,
        Map<String, String> connectAttributes)
        implements MySQLPacket {

    public HandshakeResponse41Packet {
        connectAttributes = ClientAuthFields.copyOrdered(connectAttributes);
    }

    public static HandshakeResponse41Packet read(MySQLPayload payload) {
        SslRequestPacket prefix = SslRequestPacket.read(payload);
        long flags = prefix.capabilityFlags();
        if (!CapabilityFlags.has(flags, CapabilityFlags.CLIENT_PROTOCOL_41)) {
            throw new MalformedPacketException("HandshakeResponse41: client does not set CLIENT_PROTOCOL_41");
        }
        String username = payload.readStringNul();
        byte[] authResponse = ClientAuthFields.readAuthResponse(payload, flags);
        String database =
                ClientAuthFields.readOptionalStringNul(payload, flags, CapabilityFlags.CLIENT_CONNECT_WITH_DB);
        String pluginName = ClientAuthFields.readOptionalStringNul(payload, flags, CapabilityFlags.CLIENT_PLUGIN_AUTH);
        Map<String, String> attributes = ClientAuthFields.readAttributes(payload, flags);
        return new HandshakeResponse41Packet(
                flags,
                prefix.maxPacketSize(),
                prefix.characterSet(),
                username,
                authResponse,
                database,
                pluginName,
                attributes);
    }

    @Override
    public void write(MySQLPayload payload) {
        new SslRequestPacket(capabilityFlags, maxPacketSize, characterSet).write(payload);
        payload.writeStringNul(username);
        ClientAuthFields.writeAuthResponse(payload, capabilityFlags, authResponse);
        if (CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_CONNECT_WITH_DB)) {
            payload.writeStringNul(database);
        }
        if (CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_PLUGIN_AUTH)) {
            payload.writeStringNul(authPluginName);
        }
        ClientAuthFields.writeAttributes(payload, capabilityFlags, connectAttributes);
    }
}
