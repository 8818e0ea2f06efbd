package dev.agentgate.e2e.env;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** Login packets written byte by byte, for clients no driver would be: wrong sequence ids, oversized packets. */
public final class RawLogin {

    private static final int CLIENT_PROTOCOL_41 = 0x200;
    private static final int CLIENT_SECURE_CONNECTION = 0x8000;
    private static final int CLIENT_PLUGIN_AUTH = 0x80000;
    private static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x200000;

    private RawLogin() {}

    /** A HandshakeResponse41 without TLS (so the gateway refuses it) for {@code user}, framed with {@code sequenceId}. */
    public static byte[] handshakeResponse(int sequenceId, String user) {
        return handshakeResponse(sequenceId, user, "mysql_native_password", "ZZZZZZZZZZZZZZZZZZZZ");
    }

    /** A HandshakeResponse41 without TLS answering {@code plugin} with {@code authResponse} (below 64 KiB). */
    public static byte[] handshakeResponse(int sequenceId, String user, String plugin, String authResponse) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int capabilities = CLIENT_PROTOCOL_41
                | CLIENT_SECURE_CONNECTION
                | CLIENT_PLUGIN_AUTH
                | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;
        writeInt4(payload, capabilities);
        writeInt4(payload, 1 << 24);
        payload.write(45);
        payload.writeBytes(new byte[23]);
        payload.writeBytes(nulTerminated(user));
        byte[] auth = authResponse.getBytes(StandardCharsets.US_ASCII);
        if (auth.length >= 1 << 16) {
            throw new IllegalArgumentException("auth response of " + auth.length + " bytes: must be below 64 KiB");
        }
        if (auth.length < 251) {
            payload.write(auth.length);
        } else {
            payload.write(0xFC);
            payload.write(auth.length);
            payload.write(auth.length >> 8);
        }
        payload.writeBytes(auth);
        payload.writeBytes(nulTerminated(plugin));
        return frame(sequenceId, payload.toByteArray());
    }

    /** A COM_QUERY, which starts a command at sequence id 0. */
    public static byte[] comQuery(String sql) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(0x03);
        payload.writeBytes(sql.getBytes(StandardCharsets.UTF_8));
        return frame(0, payload.toByteArray());
    }

    /** The header of a chunk announcing {@code length} payload bytes (at most 0xFFFFFF). */
    public static byte[] header(int length, int sequenceId) {
        return new byte[] {(byte) length, (byte) (length >> 8), (byte) (length >> 16), (byte) sequenceId};
    }

    /** One packet's payload, or null when the gateway closed the connection (or reset it). */
    public static byte[] readPacket(InputStream in) throws IOException {
        try {
            byte[] header = in.readNBytes(4);
            if (header.length < 4) {
                return null;
            }
            int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
            byte[] payload = in.readNBytes(length);
            return payload.length == length ? payload : null;
        } catch (SocketException e) {
            return null; // connection reset: the gateway closed on us
        }
    }

    private static byte[] frame(int sequenceId, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(header(payload.length, sequenceId));
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    private static byte[] nulTerminated(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, terminated, 0, bytes.length);
        return terminated;
    }

    private static void writeInt4(ByteArrayOutputStream out, int value) {
        out.write(value);
        out.write(value >> 8);
        out.write(value >> 16);
        out.write(value >> 24);
    }
}
