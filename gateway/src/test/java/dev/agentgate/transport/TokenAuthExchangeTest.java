package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.AuthMoreDataPacket;
import dev.agentgate.protocol.AuthSwitchRequestPacket;
import dev.agentgate.transport.TokenAuthExchange.Step;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenAuthExchangeTest {

    private static final byte[] SEED = "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOKEN_NUL = "eyJ.token.sig\0".getBytes(StandardCharsets.UTF_8);

    private TokenAuthExchange overTls() {
        return new TokenAuthExchange(TokenAuthExchange.CACHING_SHA2, true, false, () -> SEED.clone());
    }

    @Test
    void aCachingSha2ClientOverTlsIsAskedForFullAuthentication() {
        Step step = overTls().start("caching_sha2_password", new byte[32]);
        assertThat(step)
                .isInstanceOfSatisfying(
                        Step.Send.class,
                        send -> assertThat(send.packet())
                                .isInstanceOfSatisfying(
                                        AuthMoreDataPacket.class,
                                        more -> assertThat(more.data()).containsExactly(0x04)));
    }

    @Test
    void theClearTextAfterFullAuthenticationIsTheTokenWithoutItsNul() {
        TokenAuthExchange exchange = overTls();
        exchange.start("caching_sha2_password", new byte[32]);
        assertThat(exchange.onClientData(TOKEN_NUL)).isEqualTo(new Step.TokenReceived("eyJ.token.sig"));
    }

    @Test
    void aNativePasswordClientIsSwitchedToTheConfiguredPluginWithAFreshSeed() {
        Step step = overTls().start("mysql_native_password", new byte[20]);
        assertThat(step)
                .isInstanceOfSatisfying(
                        Step.Send.class,
                        send -> assertThat(send.packet()).isInstanceOfSatisfying(AuthSwitchRequestPacket.class, sw -> {
                            assertThat(sw.pluginName()).isEqualTo("caching_sha2_password");
                            assertThat(sw.pluginData()).hasSize(21).endsWith((byte) 0);
                        }));
    }

    @Test
    void aSwitchedClientsScrambleIsFollowedByAFullAuthenticationRequest() {
        TokenAuthExchange exchange = overTls();
        exchange.start("mysql_native_password", new byte[20]);
        assertThat(exchange.onClientData(new byte[32])).isInstanceOf(Step.Send.class);
        assertThat(exchange.onClientData(TOKEN_NUL)).isEqualTo(new Step.TokenReceived("eyJ.token.sig"));
    }

    @Test
    void aClearPasswordClientHasSentItsTokenAlready() {
        assertThat(overTls().start("mysql_clear_password", TOKEN_NUL))
                .isEqualTo(new Step.TokenReceived("eyJ.token.sig"));
    }

    @Test
    void withoutTlsATokenLoginIsRefused() {
        TokenAuthExchange exchange = new TokenAuthExchange(TokenAuthExchange.CACHING_SHA2, false, false, () -> SEED);
        assertThat(exchange.start("caching_sha2_password", new byte[32]))
                .isEqualTo(new Step.Failed("token logins require TLS: connect with SSL/TLS enabled"));
    }

    @Test
    void withoutTlsInDevModeTheClientIsSwitchedToClearPassword() {
        TokenAuthExchange exchange = new TokenAuthExchange(TokenAuthExchange.CACHING_SHA2, false, true, () -> SEED);
        assertThat(exchange.start("caching_sha2_password", new byte[32]))
                .isInstanceOfSatisfying(
                        Step.Send.class,
                        send -> assertThat(((AuthSwitchRequestPacket) send.packet()).pluginName())
                                .isEqualTo("mysql_clear_password"));
    }

    @Test
    void aRequestForTheRsaPublicKeyIsRefusedBecauseAJwtDoesNotFitRsa() {
        TokenAuthExchange exchange = overTls();
        exchange.start("caching_sha2_password", new byte[32]);
        assertThat(exchange.onClientData(new byte[] {0x02})).isInstanceOf(Step.Failed.class);
    }

    @Test
    void anEmptyPasswordIsRefusedAsNoToken() {
        assertThat(overTls().start("mysql_clear_password", new byte[0]))
                .isEqualTo(new Step.Failed("no token given: use the OIDC token as the password"));
    }

    @Test
    void connectorJBehindAMariaDbVersionIsSwitchedToClearPassword() {
        TokenAuthExchange exchange = new TokenAuthExchange(
                TokenAuthExchange.CACHING_SHA2,
                true,
                false,
                () -> SEED.clone(),
                TokenAuthExchange.needsClearPassword(
                        java.util.Map.of("_client_name", "MySQL Connector/J"), "5.5.5-10.11.19-MariaDB-agentgate"));
        assertThat(exchange.start("caching_sha2_password", new byte[32]))
                .isInstanceOfSatisfying(
                        Step.Send.class,
                        send -> assertThat(((AuthSwitchRequestPacket) send.packet()).pluginName())
                                .isEqualTo("mysql_clear_password"));
        assertThat(exchange.onClientData(TOKEN_NUL)).isEqualTo(new Step.TokenReceived("eyJ.token.sig"));
    }

    @Test
    void otherClientsKeepCachingSha2FullAuthentication() {
        assertThat(TokenAuthExchange.needsClearPassword(
                        java.util.Map.of("_client_name", "libmariadb"), "5.5.5-10.11.19-MariaDB"))
                .isFalse();
        assertThat(TokenAuthExchange.needsClearPassword(
                        java.util.Map.of("_client_name", "MySQL Connector/J"), "8.0.40-agentgate"))
                .isFalse();
    }

    @Test
    void aClientThatAnswersASwitchWithNothingIsSwitchedToTheSamePluginOnceMore() {
        TokenAuthExchange exchange = overTls();
        exchange.start("mysql_native_password", new byte[20]);
        assertThat(switchedPlugin(exchange.onClientData(new byte[0]))).isEqualTo("caching_sha2_password");
        assertThat(exchange.onClientData(new byte[32])).isInstanceOf(Step.Send.class);
        assertThat(exchange.onClientData(TOKEN_NUL)).isEqualTo(new Step.TokenReceived("eyJ.token.sig"));
    }

    @Test
    void aClientThatAnswersTheSecondSwitchWithNothingIsSwitchedToClearPassword() {
        TokenAuthExchange exchange = overTls();
        exchange.start("mysql_native_password", new byte[20]);
        exchange.onClientData(new byte[0]);
        assertThat(switchedPlugin(exchange.onClientData(new byte[0]))).isEqualTo("mysql_clear_password");
        assertThat(exchange.onClientData(TOKEN_NUL)).isEqualTo(new Step.TokenReceived("eyJ.token.sig"));
    }

    @Test
    void aClientThatRunsNoneOfThePluginsIsRefusedNamingThem() {
        TokenAuthExchange exchange = overTls();
        exchange.start("mysql_native_password", new byte[20]);
        exchange.onClientData(new byte[0]);
        exchange.onClientData(new byte[0]);
        assertThat(exchange.onClientData(new byte[0]))
                .isEqualTo(new Step.Failed("the client sent nothing when asked to authenticate with"
                        + " 'caching_sha2_password' or 'mysql_clear_password': it could not load that plugin (check the"
                        + " client's plugin directory); the token is sent as the password through one of them"));
    }

    @Test
    void anEmptyClearTextAfterAnAnsweredSwitchIsNoToken() {
        TokenAuthExchange exchange = overTls();
        exchange.start("mysql_native_password", new byte[20]);
        exchange.onClientData(new byte[32]);
        assertThat(exchange.onClientData(new byte[] {0})).isEqualTo(new Step.Failed(TokenAuthExchange.NO_TOKEN));
    }

    @Test
    void aConnectorCClientThatCouldNotLoadTheGreetingsPluginIsSwitchedToIt() {
        assertThat(switchedPlugin(overTls().start(TokenAuthExchange.CONNECTOR_C_FALLBACK, new byte[0])))
                .isEqualTo("caching_sha2_password");
    }

    private static String switchedPlugin(Step step) {
        assertThat(step).isInstanceOf(Step.Send.class);
        return ((AuthSwitchRequestPacket) ((Step.Send) step).packet()).pluginName();
    }
}
