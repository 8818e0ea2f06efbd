package dev.agentgate.protocol.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;

/**
 * Encrypts a password for caching_sha2_password / sha256_password full authentication over an unencrypted
 * connection: the NUL-terminated password is XORed with the seed (repeated) and encrypted with the server's
 * RSA public key using OAEP padding (MySQL 8.0.5 and later).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html">caching_sha2_password exchanges</a>
 */
public final class RsaPasswordEncryption {

    /** What a client sends (after AuthMoreData PERFORM_FULL_AUTHENTICATION) to ask for the server's key. */
    public static final byte REQUEST_PUBLIC_KEY = 0x02;

    private static final String TRANSFORMATION = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
    private static final String PEM_HEADER = "-----BEGIN PUBLIC KEY-----";
    private static final String PEM_FOOTER = "-----END PUBLIC KEY-----";

    private RsaPasswordEncryption() {}

    /**
     * @param passwordNul the password bytes followed by one NUL
     * @param seed the 20-byte scramble from the handshake
     * @param pemPublicKey an X.509 SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY"), as the server sends it
     */
    public static byte[] encrypt(byte[] passwordNul, byte[] seed, String pemPublicKey) {
        if (seed == null || seed.length == 0) {
            throw new IllegalArgumentException("seed must not be empty");
        }
        byte[] obfuscated = ScrambleDigests.xor(passwordNul, seed);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, parsePublicKey(pemPublicKey));
            return cipher.doFinal(obfuscated);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "cannot RSA-encrypt the password with the server's key: " + e.getMessage(), e);
        }
    }

    static PublicKey parsePublicKey(String pem) throws GeneralSecurityException {
        int start = pem.indexOf(PEM_HEADER);
        int end = pem.indexOf(PEM_FOOTER);
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("public key must be a PEM with '" + PEM_HEADER + "'");
        }
        String base64 = pem.substring(start + PEM_HEADER.length(), end).replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(base64);
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }
}
