package dev.agentgate.protocol.auth;

/**
 * The mysql_native_password auth response: SHA1(password) XOR SHA1(seed + SHA1(SHA1(password))). An empty
 * password gives an empty response, as the server expects.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_native_password_authentication.html">Native Authentication</a>
 */
public final class NativePasswordScramble {

    public static final String PLUGIN_NAME = "mysql_native_password";
    public static final int SEED_LENGTH = 20;
    private static final String SHA1 = "SHA-1";

    private NativePasswordScramble() {}

    public static byte[] scramble(byte[] password, byte[] seed20) {
        ScrambleDigests.requireSeed(seed20, SEED_LENGTH);
        if (password.length == 0) {
            return new byte[0];
        }
        byte[] passwordHash = ScrambleDigests.digest(SHA1, password);
        byte[] doubleHash = ScrambleDigests.digest(SHA1, passwordHash);
        return ScrambleDigests.xor(passwordHash, ScrambleDigests.digest(SHA1, seed20, doubleHash));
    }
}
