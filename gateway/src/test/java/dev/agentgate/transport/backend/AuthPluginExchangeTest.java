package dev.agentgate.transport.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The auth plugin decisions that need TLS, which the EmbeddedChannel tests cannot negotiate. */
class AuthPluginExchangeTest {

    private static final byte[] SEED = "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASSWORD_WITH_NUL = "secret\0".getBytes(StandardCharsets.US_ASCII);

    @Test
    void sendsTheClearPasswordForCachingSha2FullAuthenticationOverTls() throws Exception {
        AuthPluginExchange exchange = new AuthPluginExchange("appdb", "secret", true);
        exchange.start(AuthPluginExchange.CACHING_SHA2_PASSWORD, SEED);

        assertThat(exchange.onMoreData(new byte[] {0x04}))
                .hasValueSatisfying(answer -> assertThat(answer).containsExactly(PASSWORD_WITH_NUL));
    }

    @Test
    void requestsThePublicKeyForCachingSha2FullAuthenticationWithoutTls() throws Exception {
        AuthPluginExchange exchange = new AuthPluginExchange("appdb", "secret", false);
        exchange.start(AuthPluginExchange.CACHING_SHA2_PASSWORD, SEED);

        assertThat(exchange.onMoreData(new byte[] {0x04}))
                .hasValueSatisfying(answer -> assertThat(answer).containsExactly(0x02));
    }

    @Test
    void waitsForTheOkAfterFastAuthSuccess() throws Exception {
        AuthPluginExchange exchange = new AuthPluginExchange("appdb", "secret", false);
        exchange.start(AuthPluginExchange.CACHING_SHA2_PASSWORD, SEED);

        assertThat(exchange.onMoreData(new byte[] {0x03})).isEmpty();
    }

    @Test
    void sendsTheClearPasswordPluginItsPasswordOverTls() throws Exception {
        AuthPluginExchange exchange = new AuthPluginExchange("appdb", "secret", true);

        assertThat(exchange.start(AuthPluginExchange.CLEAR_PASSWORD, new byte[0]))
                .containsExactly(PASSWORD_WITH_NUL);
    }

    @Test
    void answersAnEmptyPasswordWithEmptyScrambles() throws Exception {
        AuthPluginExchange exchange = new AuthPluginExchange("appdb", "", false);

        assertThat(exchange.start(AuthPluginExchange.NATIVE_PASSWORD, SEED)).isEmpty();
        assertThat(exchange.start(AuthPluginExchange.CACHING_SHA2_PASSWORD, SEED))
                .isEmpty();
    }

    @Test
    void rejectsMoreDataForNativePassword() throws Exception {
        AuthPluginExchange exchange = new AuthPluginExchange("appdb", "secret", false);
        exchange.start(AuthPluginExchange.NATIVE_PASSWORD, SEED);

        assertThatThrownBy(() -> exchange.onMoreData(new byte[] {0x04}))
                .isInstanceOf(BackendConnectException.class)
                .hasMessage(
                        "target 'appdb' sent unexpected AuthMoreData for plugin 'mysql_native_password' during authentication");
    }

    @Test
    void rejectsAnUnusablePublicKey() throws Exception {
        AuthPluginExchange exchange = new AuthPluginExchange("appdb", "secret", false);
        exchange.start(AuthPluginExchange.CACHING_SHA2_PASSWORD, SEED);
        exchange.onMoreData(new byte[] {0x04});

        assertThatThrownBy(() -> exchange.onMoreData("not a key".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(BackendConnectException.class)
                .hasMessage("target 'appdb' sent an unusable RSA public key");
    }
}
