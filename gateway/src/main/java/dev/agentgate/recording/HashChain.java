package dev.agentgate.recording;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain of one session's records: each record's hash is SHA-256 over the previous record's hash and the
 * record's bytes, so editing, dropping or reordering a record changes every hash after it. The chain starts from a
 * hash of the session id, so records cannot be moved from one session's recording into another's.
 */
public final class HashChain {

    private static final HexFormat HEX = HexFormat.of();

    private HashChain() {}

    public static byte[] genesis(String sessionId) {
        return sha256(("agentgate-recording-v1:" + sessionId).getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] next(byte[] previous, byte[] record) {
        MessageDigest digest = newDigest();
        digest.update(previous);
        digest.update(record);
        return digest.digest();
    }

    public static String hex(byte[] hash) {
        return HEX.formatHex(hash);
    }

    public static byte[] fromHex(String hex) {
        return HEX.parseHex(hex);
    }

    private static byte[] sha256(byte[] bytes) {
        return newDigest().digest(bytes);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
