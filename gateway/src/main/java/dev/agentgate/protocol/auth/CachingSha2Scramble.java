package dev.agentgate.protocol.auth;

/**
 * The caching_sha2_password fast-auth response: SHA256(password) XOR SHA256(SHA256(SHA256(password)) + seed).
 * An empty password gives an empty response.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html">caching_sha2_password exchanges</a>
 */
public final class CachingSha2Scramble {

    public static final String PLUGIN_NAME = "caching_sha2_password";
    public static final int SEED_LENGTH = 20;
    private static final String SHA256 = "SHA-256";

    private CachingSha2Scramble() {}

    public static byte[] scramble(byte[] password, byte[] seed20) {
        ScrambleDigests.requireSeed(seed20, SEED_LENGTH);
        if (password.length == 0) {
            return new byte[0];
        }
        byte[] passwordHash = ScrambleDigests.digest(SHA256, password);
        byte[] doubleHash = ScrambleDigests.digest(SHA256, passwordHash);
        return ScrambleDigests.xor(passwordHash, ScrambleDigests.digest(SHA256, doubleHash, seed20));
    }
}
