package dev.agentgate.transport.backend;

import dev.agentgate.protocol.AuthMoreDataPacket;
import dev.agentgate.protocol.auth.CachingSha2Scramble;
import dev.agentgate.protocol.auth.NativePasswordScramble;
import dev.agentgate.protocol.auth.RsaPasswordEncryption;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The gateway's side of the backend's authentication plugins, free of Netty: computes the auth data for the
 * plugin the server names (initially or in an AuthSwitchRequest) and answers its AuthMoreData packets.
 *
 * <p>Supported: {@code mysql_native_password}; {@code caching_sha2_password} with fast auth, and full auth either
 * in clear text over TLS or RSA-encrypted with the server's public key, requested on the spot;
 * {@code mysql_clear_password} over TLS only; MariaDB's {@code client_ed25519}.
 */
final class AuthPluginExchange {

    static final String NATIVE_PASSWORD = NativePasswordScramble.PLUGIN_NAME;
    static final String CACHING_SHA2_PASSWORD = CachingSha2Scramble.PLUGIN_NAME;
    static final String CLEAR_PASSWORD = "mysql_clear_password";
    static final String MARIADB_ED25519 = "client_ed25519";

    /** The built-in plugins' scramble length; servers may append a NUL. */
    private static final int SCRAMBLE_LENGTH = NativePasswordScramble.SEED_LENGTH;

    private final String target;
    private final byte[] password;
    private final boolean secureTransport;
    private String plugin;
    private byte[] seed;
    private boolean awaitingPublicKey;

    AuthPluginExchange(String target, String password, boolean secureTransport) {
        this.target = target;
        this.password = password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
        this.secureTransport = secureTransport;
    }

    /**
     * Auth data for {@code pluginName} given the plugin data of the greeting or an AuthSwitchRequest, exactly as
     * sent: client_ed25519 signs all of it (a 32-byte nonce that may end in a zero byte), the others use the
     * first 20 bytes as their scramble.
     */
    byte[] start(String pluginName, byte[] pluginData) throws BackendConnectException {
        plugin = pluginName;
        seed = Arrays.copyOf(pluginData, Math.min(pluginData.length, SCRAMBLE_LENGTH));
        awaitingPublicKey = false;
        try {
            return switch (pluginName) {
                case NATIVE_PASSWORD -> NativePasswordScramble.scramble(password, seed);
                case CACHING_SHA2_PASSWORD -> CachingSha2Scramble.scramble(password, seed);
                case CLEAR_PASSWORD -> clearPasswordOverTls();
                case MARIADB_ED25519 -> Ed25519PasswordSignature.sign(password, pluginData);
                default ->
                    throw new BackendConnectException(
                            "target '" + target + "' requires unsupported authentication plugin '" + pluginName + "'");
            };
        } catch (IllegalArgumentException e) {
            throw BackendConnectException.protocolError(
                    target, "sent unusable data for plugin '" + pluginName + "'", e);
        }
    }

    /** The answer to an AuthMoreData packet, or empty when the server's next packet is awaited without answering. */
    Optional<byte[]> onMoreData(byte[] data) throws BackendConnectException {
        if (!CACHING_SHA2_PASSWORD.equals(plugin)) {
            throw unexpected("AuthMoreData for plugin '" + plugin + "'");
        }
        if (awaitingPublicKey) {
            awaitingPublicKey = false;
            return Optional.of(encryptWithPublicKey(new String(data, StandardCharsets.US_ASCII)));
        }
        if (data.length == 1 && data[0] == AuthMoreDataPacket.FAST_AUTH_SUCCESS) {
            return Optional.empty();
        }
        if (data.length == 1 && data[0] == AuthMoreDataPacket.PERFORM_FULL_AUTHENTICATION) {
            if (secureTransport) {
                return Optional.of(passwordWithNul());
            }
            awaitingPublicKey = true;
            return Optional.of(new byte[] {RsaPasswordEncryption.REQUEST_PUBLIC_KEY});
        }
        throw unexpected("caching_sha2_password data of " + data.length + " bytes");
    }

    private byte[] clearPasswordOverTls() throws BackendConnectException {
        if (!secureTransport) {
            throw new BackendConnectException("target '" + target
                    + "' asked for mysql_clear_password over an unencrypted connection; enable TLS for this target");
        }
        return passwordWithNul();
    }

    private byte[] encryptWithPublicKey(String pem) throws BackendConnectException {
        try {
            return RsaPasswordEncryption.encrypt(passwordWithNul(), seed, pem);
        } catch (RuntimeException e) {
            throw BackendConnectException.protocolError(target, "sent an unusable RSA public key", e);
        }
    }

    private byte[] passwordWithNul() {
        return Arrays.copyOf(password, password.length + 1);
    }

    private BackendConnectException unexpected(String what) {
        return BackendConnectException.protocolError(
                target, "sent unexpected " + what + " during authentication", null);
    }
}
