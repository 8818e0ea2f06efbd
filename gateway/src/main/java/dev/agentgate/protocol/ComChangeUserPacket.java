package dev.agentgate.protocol;

import java.util.Map;

/**
 * Re-authenticates the connection as another user and resets its session. Field encodings follow the
 * client's capability flags as negotiated at connect time: the auth response is length-prefixed under
 * SECURE_CONNECTION (else NUL-terminated); the character set follows when more data remains; plugin name
 * (PLUGIN_AUTH) and attributes (CONNECT_ATTRS) are optional. Absent strings are empty, absent charset 0.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_change_user.html">COM_CHANGE_USER</a>
 */
public record ComChangeUserPacket(
        String username,
        byte[] authResponse,
        String schema,
        int characterSet,
        String authPluginName,
        Map<String, String> connectAttributes)
        implements MySQLPacket {

    public ComChangeUserPacket {
        connectAttributes = ClientAuthFields.copyOrdered(connectAttributes);
    }

    public static ComChangeUserPacket read(MySQLPayload payload, long capabilityFlags) {
        payload.readCommand(CommandType.COM_CHANGE_USER);
        long flags = withoutLenencAuthData(capabilityFlags);
        String username = payload.readStringNul();
        byte[] authResponse = ClientAuthFields.readAuthResponse(payload, flags);
        String schema = payload.readStringNul();
        int characterSet = payload.readableBytes() >= 2 ? payload.readInt2() : 0;
        String pluginName = ClientAuthFields.readOptionalStringNul(payload, flags, CapabilityFlags.CLIENT_PLUGIN_AUTH);
        Map<String, String> attributes = ClientAuthFields.readAttributes(payload, flags);
        return new ComChangeUserPacket(username, authResponse, schema, characterSet, pluginName, attributes);
    }

    /** Writing needs the flags too; {@link #write(MySQLPayload)} assumes SECURE_CONNECTION and PLUGIN_AUTH. */
    public void write(MySQLPayload payload, long capabilityFlags) {
        long flags = withoutLenencAuthData(capabilityFlags);
        payload.writeInt1(CommandType.COM_CHANGE_USER.code());
        payload.writeStringNul(username);
        ClientAuthFields.writeAuthResponse(payload, flags, authResponse);
        payload.writeStringNul(schema);
        payload.writeInt2(characterSet);
        if (CapabilityFlags.has(flags, CapabilityFlags.CLIENT_PLUGIN_AUTH)) {
            payload.writeStringNul(authPluginName);
        }
        ClientAuthFields.writeAttributes(payload, flags, connectAttributes);
    }

    @Override
    public void write(MySQLPayload payload) {
        write(
                payload,
                CapabilityFlags.CLIENT_PROTOCOL_41
                        | CapabilityFlags.CLIENT_SECURE_CONNECTION
                        | CapabilityFlags.CLIENT_PLUGIN_AUTH);
    }

    /** COM_CHANGE_USER never uses the lenenc auth response, whatever the handshake negotiated. */
    private static long withoutLenencAuthData(long capabilityFlags) {
        return capabilityFlags & ~CapabilityFlags.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;
    }
}
