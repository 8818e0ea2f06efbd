package dev.agentgate.config;

import static dev.agentgate.config.ConfigFixture.ISSUER;
import static dev.agentgate.config.ConfigFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The top level and the listen, tls and auth sections. */
class ServerSectionsLoadingTest {
    @TempDir
    Path dir;

    private ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(dir);
    }

    @Test
    void appliesADefaultToEveryOmittedServerKey() {
        GatewayConfig config = fixture.load(ISSUER + TARGET);

        assertThat(config.devMode()).isFalse();
        assertThat(config.listen()).isEqualTo(ListenConfig.defaults());
        assertThat(config.tls()).isEqualTo(TlsConfig.disabled());
        assertThat(config.auth()).isEqualTo(AuthConfig.defaults());
    }

    @Test
    void readsEveryListenKey() {
        GatewayConfig config = fixture.load(ISSUER + TARGET + """
        listen:
          host: 127.0.0.1
          port: 13306
          max_connections: 5
          handshake_timeout: 250ms
          idle_timeout: 1d
          shutdown_grace: 0s
          server_version: 8.4.0-gw
          max_packet_size: 65536
          max_handshakes: 40
          max_handshakes_per_address: 4
        """);

        assertThat(config.listen())
                .isEqualTo(new ListenConfig(
                        "127.0.0.1",
                        13306,
                        5,
                        Duration.ofMillis(250),
                        Duration.ofDays(1),
                        Duration.ZERO,
                        "8.4.0-gw",
                        65536,
                        40,
                        4));
    }

    @Test
    void rejectsAListenPortOfZero() {
        fixture.assertRejected(
                ISSUER + TARGET + "listen:\n  port: 0\n", "listen.port: must be between 1 and 65535, was 0");
    }

    @Test
    void rejectsAPortThatIsNotAnInteger() {
        fixture.assertRejected(
                ISSUER + TARGET + "listen:\n  port: 33o6\n", "listen.port: must be an integer, was '33o6'");
    }

    @Test
    void rejectsZeroMaxConnections() {
        fixture.assertRejected(
                ISSUER + TARGET + "listen:\n  max_connections: 0\n", "listen.max_connections: must be positive, was 0");
    }

    @Test
    void rejectsANegativeMaxPacketSize() {
        fixture.assertRejected(
                ISSUER + TARGET + "listen:\n  max_packet_size: -1\n",
                "listen.max_packet_size: must be positive, was -1");
    }

    @Test
    void rejectsAZeroHandshakeTimeout() {
        fixture.assertRejected(
                ISSUER + TARGET + "listen:\n  handshake_timeout: 0ms\n",
                "listen.handshake_timeout: must be longer than 0");
    }

    @Test
    void rejectsADurationWithoutUnit() {
        fixture.assertRejected(
                ISSUER + TARGET + "listen:\n  idle_timeout: 10\n",
                "listen.idle_timeout: must be a duration like 250ms, 10s, 5m, 8h or 1d, was '10'");
    }

    @Test
    void rejectsAMisspeltKeyInsteadOfIgnoringIt() {
        fixture.assertRejected(
                ISSUER + TARGET + "listen:\n  prot: 3307\n",
                "unknown key 'listen.prot' (expected one of: host, port, max_connections, "
                        + "handshake_timeout, idle_timeout, shutdown_grace, server_version, max_packet_size, max_handshakes, max_handshakes_per_address)");
    }

    @Test
    void rejectsAnUnknownSection() {
        fixture.assertRejected(
                ISSUER + TARGET + "lisen:\n  port: 3307\n",
                "unknown key 'lisen' (expected one of: dev_mode, instance_id, listen, tls, auth, identity, policy, admin, targets,"
                        + " data_dir, state, approval, recording, audit, review)");
    }

    @Test
    void rejectsASectionThatIsNotAMapping() {
        fixture.assertRejected(ISSUER + TARGET + "listen: 3307\n", "listen: must be a mapping");
    }

    @Test
    void rejectsADevModeThatIsNotABoolean() {
        fixture.assertRejected(ISSUER + TARGET + "dev_mode: maybe\n", "dev_mode: must be true or false, was 'maybe'");
    }

    @Test
    void rejectsATlsCertificateWithoutKey() {
        fixture.write("gw.crt", "cert");
        fixture.assertRejected(
                ISSUER + TARGET + "tls:\n  cert_file: gw.crt\n", "tls: cert_file and key_file must be given together");
    }

    @Test
    void rejectsATlsCertificateFileThatDoesNotExist() {
        fixture.write("gw.key", "key");
        fixture.assertRejected(
                ISSUER + TARGET + "tls:\n  cert_file: gw.crt\n  key_file: gw.key\n",
                "tls.cert_file: file not found: " + dir.resolve("gw.crt"));
    }

    @Test
    void resolvesTlsFilesAgainstTheConfigFilesDirectory() {
        fixture.write("tls/gw.crt", "cert");
        fixture.write("tls/gw.key", "key");

        GatewayConfig config =
                fixture.load(ISSUER + TARGET + "tls:\n  cert_file: tls/gw.crt\n  key_file: ./tls/../tls/gw.key\n");

        assertThat(config.tls()).isEqualTo(new TlsConfig(dir.resolve("tls/gw.crt"), dir.resolve("tls/gw.key"), false));
        assertThat(config.tls().enabled()).isTrue();
    }

    @Test
    void rejectsInsecureTokenLoginOutsideDevMode() {
        fixture.assertRejected(
                ISSUER + TARGET + "tls:\n  allow_insecure_token_login: true\n",
                "tls.allow_insecure_token_login: only allowed with dev_mode: true");
    }

    @Test
    void allowsInsecureTokenLoginInDevMode() {
        GatewayConfig config =
                fixture.load(ISSUER + TARGET + "dev_mode: true\ntls:\n  allow_insecure_token_login: true\n");

        assertThat(config.tls().allowInsecureTokenLogin()).isTrue();
    }

    @Test
    void readsEveryAuthKey() {
        GatewayConfig config = fixture.load(
                ISSUER + TARGET + "auth:\n  switch_plugin: mysql_clear_password\n  max_failed_logins_per_minute: 3\n");

        assertThat(config.auth()).isEqualTo(new AuthConfig("mysql_clear_password", 3));
    }

    @Test
    void rejectsAnUnknownSwitchPlugin() {
        fixture.assertRejected(
                ISSUER + TARGET + "auth:\n  switch_plugin: mysql_native_password\n",
                "auth.switch_plugin: must be one of caching_sha2_password, mysql_clear_password, "
                        + "was 'mysql_native_password'");
    }

    @Test
    void rejectsADuplicatedKeyRatherThanLettingTheLastOneWin() {
        assertThatThrownBy(() -> fixture.load(ISSUER + TARGET + "listen:\n  port: 1\n  port: 2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "invalid YAML in " + dir.resolve("agentgate.yaml") + ": Duplicate field 'port' (line ");
    }

    @Test
    void reportsTheLineOfAYamlSyntaxError() {
        assertThatThrownBy(() -> fixture.load("listen:\n  port: [3307\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid YAML in " + dir.resolve("agentgate.yaml")
                        + ": while parsing a flow sequence\n in 'reader', line 2, column 9:");
    }

    @Test
    void rejectsAFileThatDoesNotExist() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(missing, name -> null))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file not found: " + missing);
    }

    @Test
    void rejectsAnEmptyFileForLackOfIssuers() {
        fixture.assertRejected("", "identity: at least one of issuers or dev_issuer is required");
    }
}
