package dev.agentgate.e2e;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.ClientScript;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OidcIssuer;
import dev.agentgate.e2e.env.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Token login over TLS: what gets in, what is refused and with which message. */
class LoginTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.standard();

    private static final MariaDbServer mariadb = MariaDbServer.shared();

    @ParameterizedTest
    @EnumSource(JdbcClient.class)
    void acceptsAValidTokenAndRunsQueriesOnTheTargetAsTheServiceUser(JdbcClient client) throws SQLException {
        try (Connection connection = gateway.connect(client, "agent-login")) {
            assertThat(Sql.row(connection, "SELECT CURRENT_USER(), DATABASE()"))
                    .containsExactly(MariaDbServer.SERVICE_USER + "@%", MariaDbServer.SCHEMA);
        }
    }

    @Test
    void acceptsATokenSignedWithTheIssuersEllipticCurveKey() throws SQLException {
        String token = gateway.issuer().token("agent-ec").elliptic().mint();
        try (Connection connection = gateway.connectWithToken(JdbcClient.CONNECTOR_J, token)) {
            assertThat(Sql.row(connection, "SELECT 6 * 7")).containsExactly("42");
        }
    }

    static Stream<Arguments> badTokens() {
        return Stream.of(
                bad("expired", issuer -> gateway.issuer().expired("agent"), "token expired"),
                bad("not yet valid", issuer -> gateway.issuer().notYetValid("agent"), "token not yet valid"),
                bad("wrong audience", issuer -> gateway.issuer().wrongAudience("agent"), "audience not accepted"),
                bad("other issuer", issuer -> gateway.issuer().otherIssuer("agent"), "issuer not trusted"),
                bad("bad signature", issuer -> gateway.issuer().badSignature("agent"), "signature invalid"),
                bad("alg none", issuer -> gateway.issuer().algNone("agent"), "algorithm not allowed"),
                bad(
                        "HS256 with the RSA public key",
                        issuer -> gateway.issuer().hs256WithRsaPublicKey("agent"),
                        "algorithm not allowed"),
                bad("unknown kid", issuer -> gateway.issuer().unknownKid("agent"), "unknown signing key"),
                bad(
                        "missing claim",
                        issuer -> gateway.issuer().missingClaim("agent", "repository"),
                        "missing required claim 'repository'"),
                bad("not a JWT", issuer -> "hunter2", "malformed token"));
    }

    private static Arguments bad(String name, Function<OidcIssuer, String> token, String message) {
        return Arguments.of(name, token, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void rejectsABadTokenWithAccessDeniedNamingTheFailedCheck(
            String name, Function<OidcIssuer, String> token, String message) {
        assertSqlError(
                () -> gateway.connectWithToken(JdbcClient.CONNECTOR_J, token.apply(gateway.issuer()))
                        .close(),
                1045,
                "28000",
                message);
    }

    @ParameterizedTest
    @EnumSource(JdbcClient.class)
    void rejectsAUserThatNamesNoTargetWithAccessDenied(JdbcClient client) {
        assertSqlError(
                () -> client.connect(
                                gateway.process(),
                                "no_such_target",
                                gateway.issuer().valid("agent"))
                        .close(),
                1045);
    }

    @ParameterizedTest
    @EnumSource(JdbcClient.class)
    void aLoginTheBackendRefusesKeepsTheBackendsErrorCode(JdbcClient client) {
        String url = client.url(gateway.process().host(), gateway.process().port(), "no_such_database");
        java.util.Properties credentials = new java.util.Properties();
        credentials.setProperty("user", "appdb");
        credentials.setProperty("password", gateway.issuer().valid("agent"));
        // the service account has no access to it: MariaDB's 1044 (ER_DBACCESS_DENIED_ERROR), not the gateway's 1105
        assertSqlError(
                () -> java.sql.DriverManager.getConnection(url, credentials).close(), 1044);
    }

    @ParameterizedTest
    @EnumSource(JdbcClient.class)
    void answersAnUnknownTargetExactlyLikeAKnownOneWhileTheTokenIsBad(JdbcClient client) {
        String expired = gateway.issuer().expired("agent");
        SQLException unknown = assertSqlError(
                () -> client.connect(gateway.process(), "no_such_target", expired)
                        .close(),
                1045);
        SQLException known = assertSqlError(
                () -> client.connect(gateway.process(), GatewayExtension.TARGET, expired)
                        .close(),
                1045);

        assertThat(withoutUserAndConnectionId(unknown.getMessage(), "no_such_target"))
                .isEqualTo(withoutUserAndConnectionId(known.getMessage(), GatewayExtension.TARGET));
    }

    /** MariaDB Connector/J prefixes the connection id of the greeting, which differs from login to login. */
    private static String withoutUserAndConnectionId(String message, String user) {
        return message.replace(user, "T").replaceFirst("^\\(conn=\\d+\\) ", "");
    }

    @Test
    void acceptsATokenSignedWithAFreshlyRotatedKeyWithinSecondsEvenAfterUnknownKeyIds() throws Exception {
        gateway.connect(JdbcClient.CONNECTOR_J, "agent-before-rotation").close();
        assertSqlError(
                () -> gateway.connectWithToken(
                                JdbcClient.CONNECTOR_J, gateway.issuer().unknownKid("agent"))
                        .close(),
                1045);
        String rotated = gateway.issuer().validWithAFreshlyRotatedKey("agent-rotated");
        long start = System.nanoTime();

        while (true) {
            try (Connection connection = gateway.connectWithToken(JdbcClient.CONNECTOR_J, rotated)) {
                assertThat(Sql.scalar(connection, "SELECT 'rotated in'")).isEqualTo("rotated in");
                break;
            } catch (SQLException refused) {
                assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                        .as("time until the rotated key is accepted")
                        .isLessThan(java.time.Duration.ofSeconds(8));
                Thread.sleep(500);
            }
        }
    }

    @Test
    void refusesAnEmptyPasswordFromTheMariadbCliWithAccessDenied() {
        ClientScript.Result result = ClientScript.MARIADB_CLI.run(
                gateway.process().host(),
                gateway.process().port(),
                GatewayExtension.TARGET,
                "",
                null,
                gateway.process().certificateFile(),
                "SELECT 1");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("ERROR 1045 (28000)").contains("no token given");
    }

    /**
     * MariaDB Connector/C answers with an empty packet when it cannot load the plugin the gateway names (and when
     * another thread loaded it at that moment): a client with only the clear-text plugin still logs in.
     */
    @Test
    void aMariadbCliWithOnlyTheClearTextPluginLogsInThroughIt(@TempDir Path pluginDir) throws Exception {
        Files.copy(
                mariadbClientPlugins().resolve("mysql_clear_password.so"),
                pluginDir.resolve("mysql_clear_password.so"));

        ClientScript.Result result = cliWithPluginDir(pluginDir);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.lines()).containsExactly("ok", "1");
    }

    @Test
    void aMariadbCliThatCanLoadNoPluginIsRefusedWithAccessDenied(@TempDir Path pluginDir) {
        ClientScript.Result result = cliWithPluginDir(pluginDir);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("ERROR 1045 (28000)").contains("mysql_clear_password");
    }

    private ClientScript.Result cliWithPluginDir(Path pluginDir) {
        return ClientScript.MARIADB_CLI.run(
                gateway.process().host(),
                gateway.process().port(),
                GatewayExtension.TARGET,
                gateway.issuer().token("agent-plain").mint(),
                null,
                gateway.process().certificateFile(),
                "SELECT 1 AS ok",
                Map.of("AGENTGATE_PLUGIN_DIR", pluginDir.toString()));
    }

    /** libmariadb3's plugin directory, as Debian installs it (with the mariadb CLI). */
    private static Path mariadbClientPlugins() throws Exception {
        try (Stream<Path> dirs = Files.list(Path.of("/usr/lib"))) {
            return dirs.map(dir -> dir.resolve("libmariadb3/plugin"))
                    .filter(Files::isDirectory)
                    .findFirst()
                    .orElseThrow(() ->
                            new AssertionError("no /usr/lib/*/libmariadb3/plugin: apt-get install mariadb-client"));
        }
    }

    /** The clients are allowed to exchange the token RSA-encrypted, so any refusal comes from the gateway. */
    @ParameterizedTest
    @EnumSource(JdbcClient.class)
    void refusesATokenLoginWithoutTls(JdbcClient client) {
        String plaintext = client == JdbcClient.CONNECTOR_J ? "sslMode=DISABLED" : "sslMode=disable";
        assertSqlError(
                () -> gateway.connect(client, "agent-plain", plaintext, "allowPublicKeyRetrieval=true")
                        .close(),
                1045);
    }

    @Test
    void showsTheIdentityToMariaDbAsConnectionAttributes() throws SQLException {
        String subject = "agent-attrs-" + System.nanoTime();
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, subject)) {
            long backendId = Long.parseLong(Sql.scalar(connection, "SELECT CONNECTION_ID()"));
            assertThat(connectAttributes(backendId)).containsEntry("agentgate.subject", subject);
        }
    }

    private static Map<String, String> connectAttributes(long processlistId) throws SQLException {
        Map<String, String> attributes = new HashMap<>();
        try (Connection admin = mariadb.connectAsAdmin();
                Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery("SELECT ATTR_NAME, ATTR_VALUE FROM performance_schema."
                        + "session_connect_attrs WHERE PROCESSLIST_ID = " + processlistId)) {
            while (rs.next()) {
                attributes.put(rs.getString(1), rs.getString(2));
            }
        }
        return attributes;
    }
}
