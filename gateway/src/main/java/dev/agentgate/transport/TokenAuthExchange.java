package dev.agentgate.transport;

import dev.agentgate.protocol.AuthMoreDataPacket;
import dev.agentgate.protocol.AuthSwitchRequestPacket;
import dev.agentgate.protocol.MySQLPacket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * Drives the authentication-plugin dialogue with a client until it has sent its token (its
 * "password") in clear text. The token is a JWT, so no scramble can be checked: every path ends in
 * the client sending the password itself, which is only acceptable over TLS.
 *
 * <ul>
 *   <li>{@code mysql_clear_password}: the auth response is the token.
 *   <li>{@code caching_sha2_password} over TLS: answer "perform full authentication" (0x01 0x04),
 *       the client then sends the token in clear, NUL-terminated.
 *   <li>any other plugin: an AuthSwitchRequest to the configured plugin, then as above.
 *   <li>no TLS (dev only): switch to {@code mysql_clear_password}; caching_sha2's RSA path cannot
 *       carry a JWT, which is longer than an RSA-OAEP block.
 *   <li>clients that cannot do caching_sha2's full authentication with this greeting: switch to
 *       {@code mysql_clear_password} (see {@link #needsClearPassword}).
 *   <li>a client that answers a switch with an empty packet did not run the plugin: MariaDB Connector/C does that
 *       when it cannot load it, and also when another thread of the same process loaded it at the same moment (its
 *       loader then reports "already loaded"). It is asked again once, then switched to {@code mysql_clear_password},
 *       then refused with an error naming the plugins (see {@link #clientRanNoPlugin}).
 * </ul>
 */
final class TokenAuthExchange {

    static final String CACHING_SHA2 = "caching_sha2_password";
    static final String CLEAR_PASSWORD = "mysql_clear_password";
    private static final byte PERFORM_FULL_AUTHENTICATION = 0x04;
    private static final byte REQUEST_PUBLIC_KEY = 0x02;
    /**
     * The plugin name MariaDB Connector/C sends when it could not load the plugin the server named: its reply then
     * carries no data, which is no empty password.
     */
    static final String CONNECTOR_C_FALLBACK = "dummy_fallback_auth";

    static final String NO_TOKEN = "no token given: use the OIDC token as the password";
    /** How often a client is switched to one plugin before another is tried: twice covers a loader's race. */
    private static final int SAME_PLUGIN_ASKS = 2;

    /** What to do next: send a packet and wait, or the exchange has ended. */
    sealed interface Step {
        record Send(MySQLPacket packet) implements Step {}

        record TokenReceived(String token) implements Step {}

        record Failed(String reason) implements Step {}
    }

    private enum State {
        START,
        AWAIT_SCRAMBLE,
        AWAIT_CLEAR_TEXT,
        DONE
    }

    private final String switchPlugin;
    private final boolean secure;
    private final boolean insecureAllowed;
    private final Supplier<byte[]> seeds;
    private final boolean clearPasswordOnly;
    private final List<String> switchedTo = new ArrayList<>();
    private boolean awaitingSwitchReply;
    private State state = State.START;

    /**
     * @param switchPlugin plugin a client that answered another plugin is switched to
     * @param secure whether the client connection is encrypted
     * @param insecureAllowed whether tokens may travel without TLS (dev mode only)
     * @param seeds fresh 20-byte scrambles for AuthSwitchRequests
     */
    TokenAuthExchange(String switchPlugin, boolean secure, boolean insecureAllowed, Supplier<byte[]> seeds) {
        this(switchPlugin, secure, insecureAllowed, seeds, false);
    }

    /**
     * @param clearPasswordOnly switch this client to {@code mysql_clear_password} whatever it
     *     answered (see {@link #needsClearPassword})
     */
    TokenAuthExchange(
            String switchPlugin,
            boolean secure,
            boolean insecureAllowed,
            Supplier<byte[]> seeds,
            boolean clearPasswordOnly) {
        this.switchPlugin = switchPlugin;
        this.secure = secure;
        this.insecureAllowed = insecureAllowed;
        this.seeds = seeds;
        this.clearPasswordOnly = clearPasswordOnly;
    }

    /**
     * MySQL Connector/J reads the greeting's version; behind a MariaDB target that is
     * "5.5.5-10.x-MariaDB", which it takes for MySQL 5.5.5, and below 5.5.16 it misreads the
     * "perform full authentication" packet of caching_sha2_password. It does accept a switch to
     * {@code mysql_clear_password} over TLS, so it gets that. (mysql2, by contrast, refuses such a
     * switch unless configured to allow it, so the switch is not made for every client.)
     */
    static boolean needsClearPassword(java.util.Map<String, String> connectAttributes, String greetingVersion) {
        return "MySQL Connector/J".equals(connectAttributes.get("_client_name"))
                && greetingVersion.startsWith("5.5.5-");
    }

    /** Starts from the plugin and auth data of a HandshakeResponse41 or COM_CHANGE_USER. */
    Step start(String clientPlugin, byte[] authResponse) {
        if (state != State.START) {
            throw new IllegalStateException("exchange already started, state " + state);
        }
        if (!secure && !insecureAllowed) {
            return fail("token logins require TLS: connect with SSL/TLS enabled");
        }
        if (!secure) {
            return CLEAR_PASSWORD.equals(clientPlugin) ? token(authResponse) : switchTo(CLEAR_PASSWORD);
        }
        if (CLEAR_PASSWORD.equals(clientPlugin)) {
            return token(authResponse);
        }
        if (clearPasswordOnly) {
            return switchTo(CLEAR_PASSWORD);
        }
        if (CACHING_SHA2.equals(clientPlugin)) {
            return requestFullAuthentication();
        }
        return switchTo(switchPlugin);
    }

    /** Continues with the next packet the client sent. */
    Step onClientData(byte[] data) {
        if (awaitingSwitchReply && data.length == 0) {
            return clientRanNoPlugin();
        }
        awaitingSwitchReply = false;
        return switch (state) {
            case AWAIT_SCRAMBLE -> requestFullAuthentication();
            case AWAIT_CLEAR_TEXT -> {
                if (data.length == 1 && data[0] == REQUEST_PUBLIC_KEY) {
                    yield fail("caching_sha2_password needs TLS here: the token cannot be RSA-encrypted");
                }
                yield token(data);
            }
            default -> throw new IllegalStateException("no client data expected in state " + state);
        };
    }

    /**
     * The client answered a switch with nothing. Connector/C's loader refuses a plugin another thread loaded while it
     * looked ("already loaded") and then answers with an empty packet; asked again, it finds the plugin. A client
     * that lacks the plugin altogether may still have {@code mysql_clear_password}.
     */
    private Step clientRanNoPlugin() {
        String last = switchedTo.get(switchedTo.size() - 1);
        if (switchedTo.size() < SAME_PLUGIN_ASKS) {
            return switchTo(last);
        }
        if (!switchedTo.contains(CLEAR_PASSWORD)) {
            return switchTo(CLEAR_PASSWORD);
        }
        return fail("the client sent nothing when asked to authenticate with '"
                + String.join("' or '", new LinkedHashSet<>(switchedTo))
                + "': it could not load that plugin (check the client's plugin directory); the token is sent as"
                + " the password through one of them");
    }

    private Step switchTo(String plugin) {
        switchedTo.add(plugin);
        awaitingSwitchReply = true;
        byte[] seed = seeds.get();
        // Like MySQL, the plugin data of an AuthSwitchRequest is the scramble followed by a NUL.
        byte[] data = Arrays.copyOf(seed, seed.length + 1);
        state = CACHING_SHA2.equals(plugin) ? State.AWAIT_SCRAMBLE : State.AWAIT_CLEAR_TEXT;
        return new Step.Send(new AuthSwitchRequestPacket(plugin, data));
    }

    private Step requestFullAuthentication() {
        state = State.AWAIT_CLEAR_TEXT;
        return new Step.Send(new AuthMoreDataPacket(new byte[] {PERFORM_FULL_AUTHENTICATION}));
    }

    /** Whether a HandshakeResponse's plugin is Connector/C's stand-in for a plugin it could not load. */
    static boolean ranNoPlugin(String clientPlugin) {
        return CONNECTOR_C_FALLBACK.equals(clientPlugin);
    }

    /** An auth response of only NULs (or none): what every plugin sends for an empty password. */
    static boolean isEmptyPassword(byte[] authResponse) {
        return passwordLength(authResponse) == 0;
    }

    private static int passwordLength(byte[] data) {
        int length = data.length;
        while (length > 0 && data[length - 1] == 0) {
            length--;
        }
        return length;
    }

    private Step token(byte[] data) {
        state = State.DONE;
        int length = passwordLength(data);
        if (length == 0) {
            return new Step.Failed(NO_TOKEN);
        }
        return new Step.TokenReceived(new String(data, 0, length, StandardCharsets.UTF_8));
    }

    private Step fail(String reason) {
        state = State.DONE;
        return new Step.Failed(reason);
    }
}
