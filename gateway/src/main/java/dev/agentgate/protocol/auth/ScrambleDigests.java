package dev.agentgate.protocol.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Digest and XOR helpers shared by the scramble algorithms. */
final class ScrambleDigests {

    private ScrambleDigests() {}

    static byte[] digest(String algorithm, byte[]... parts) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by the MySQL auth plugins", e);
        }
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    /** {@code data} XOR {@code key}, the key repeated as often as needed. */
    static byte[] xor(byte[] data, byte[] key) {
        byte[] result = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            result[i] = (byte) (data[i] ^ key[i % key.length]);
        }
        return result;
    }

    static void requireSeed(byte[] seed, int length) {
        if (seed == null || seed.length != length) {
            throw new IllegalArgumentException(
                    "seed must be " + length + " bytes, was " + (seed == null ? "null" : seed.length));
        }
    }
}
