package dev.agentgate.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The auth-response and connection-attribute fields shared by HandshakeResponse41 and COM_CHANGE_USER, whose
 * encoding depends on the client's capability flags.
 */
final class ClientAuthFields {

    private ClientAuthFields() {}

    /** lenenc with PLUGIN_AUTH_LENENC_CLIENT_DATA, length-prefixed with SECURE_CONNECTION, else NUL-terminated. */
    static byte[] readAuthResponse(MySQLPayload payload, long capabilityFlags) {
        if (CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
            return payload.readStringLenencBytes();
        }
        if (CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_SECURE_CONNECTION)) {
            return payload.readStringFixBytes(payload.readInt1());
        }
        return payload.readStringNulBytes();
    }

    static void writeAuthResponse(MySQLPayload payload, long capabilityFlags, byte[] authResponse) {
        if (CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
            payload.writeBytesLenenc(authResponse);
        } else if (CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_SECURE_CONNECTION)) {
            if (authResponse.length > 0xFF) {
                throw new IllegalArgumentException("auth response of " + authResponse.length
                        + " bytes needs CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA");
            }
            payload.writeInt1(authResponse.length);
            payload.writeBytes(authResponse);
        } else {
            payload.writeBytesNul(authResponse);
        }
    }

    /** Reads the key/value pairs in wire order, or an empty map when the field is absent. */
    static Map<String, String> readAttributes(MySQLPayload payload, long capabilityFlags) {
        if (!CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_CONNECT_ATTRS) || !payload.hasRemaining()) {
            return Map.of();
        }
        long length = payload.readIntLenenc();
        if (length > payload.readableBytes()) {
            throw new MalformedPacketException("connection attributes: length " + length + " exceeds the "
                    + payload.readableBytes() + " bytes left");
        }
        MySQLPayload attributes = new MySQLPayload(payload.byteBuf().readSlice((int) length));
        Map<String, String> result = new LinkedHashMap<>();
        while (attributes.hasRemaining()) {
            result.put(attributes.readStringLenenc(), attributes.readStringLenenc());
        }
        return Collections.unmodifiableMap(result);
    }

    static void writeAttributes(MySQLPayload payload, long capabilityFlags, Map<String, String> attributes) {
        if (!CapabilityFlags.has(capabilityFlags, CapabilityFlags.CLIENT_CONNECT_ATTRS)) {
            return;
        }
        MySQLPayload encoded = new MySQLPayload(payload.byteBuf().alloc().heapBuffer());
        try {
            attributes.forEach((key, value) -> {
                encoded.writeStringLenenc(key);
                encoded.writeStringLenenc(value);
            });
            payload.writeIntLenenc(encoded.readableBytes());
            payload.byteBuf().writeBytes(encoded.byteBuf());
        } finally {
            encoded.byteBuf().release();
        }
    }

    /** An optional NUL-terminated field: present when the flag is set and bytes remain, else empty. */
    static String readOptionalStringNul(MySQLPayload payload, long capabilityFlags, long flag) {
        return CapabilityFlags.has(capabilityFlags, flag) && payload.hasRemaining() ? payload.readStringNul() : "";
    }

    static Map<String, String> copyOrdered(Map<String, String> attributes) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
