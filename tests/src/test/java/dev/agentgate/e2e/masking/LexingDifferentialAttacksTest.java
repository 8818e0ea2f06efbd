package dev.agentgate.e2e.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.policy.Identities;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Statements the server reads differently from how a naive gateway would, one of each kind: a versioned comment
 * the server skips, a quote trick under ANSI_QUOTES and under NO_BACKSLASH_ESCAPES, a gbk multi-byte character
 * swallowing a backslash, a Unicode space after {@code --}, {@code ||} under PIPES_AS_CONCAT, a space between a
 * built-in's name and its parenthesis with and without IGNORE_SPACE. MariaDB, asked directly, returns clear PII for each;
 * through the gateway (shipped policy, an agent) nothing of it arrives: the gateway reads the statement as the server
 * does, so ssn comes masked by its strategy, or the statement is refused with the reason (also by the policy, for
 * a use of a masked value it refuses).
 */
class LexingDifferentialAttacksTest {

    @TempDir
    static Path policyDirectory;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = MaskingGateway.withShippedPolicy(opa, () -> policyDirectory);

    /** The gbk character whose second byte is 0x5C (a backslash to a reader that decodes UTF-8). */
    private static final String GBK_BF5C = new String(new byte[] {(byte) 0xBF, 0x5C}, Charset.forName("GBK"));

    record LexingAttack(String name, List<String> statements, String... options) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<LexingAttack> attacks() {
        return Stream.of(
                new LexingAttack(
                        "versioned comment above the server version opens a string",
                        List.of("SELECT 1 /*!999999 ' */, ssn, email FROM customers -- '")),
                new LexingAttack(
                        "MySQL 5.7 versioned comment MariaDB skips",
                        List.of("SELECT 1 /*!50701 ' */, ssn, email FROM customers -- '")),
                new LexingAttack(
                        "ANSI_QUOTES: a backslash does not escape in an identifier",
                        List.of(
                                "SET sql_mode = 'ANSI_QUOTES'",
                                "SELECT 1 AS \"x\\\", ssn, email FROM customers -- \"")),
                new LexingAttack(
                        "NO_BACKSLASH_ESCAPES: a backslash ends nothing",
                        List.of(
                                "SET sql_mode = 'NO_BACKSLASH_ESCAPES'",
                                "SELECT 'x\\', ssn, email FROM customers -- '")),
                new LexingAttack(
                        "sql_mode change and the trick in one batch",
                        List.of("SET sql_mode = 'NO_BACKSLASH_ESCAPES'; SELECT 'x\\', ssn, email FROM customers -- '")),
                new LexingAttack(
                        "gbk character swallows the backslash",
                        List.of("SELECT '" + GBK_BF5C + "', ssn, email FROM customers -- '"),
                        "characterEncoding=GBK"),
                new LexingAttack(
                        "SET NAMES gbk then the trick",
                        List.of("SET NAMES gbk", "SELECT '" + GBK_BF5C + "', ssn, email FROM customers -- '"),
                        "characterEncoding=GBK"),
                new LexingAttack(
                        "Unicode space after -- is no comment to the server",
                        List.of("SELECT 0 --\u3000.id, ssn, email FROM customers \u3000")),
                new LexingAttack(
                        "PIPES_AS_CONCAT: || concatenates",
                        List.of("SET sql_mode = 'PIPES_AS_CONCAT'", "SELECT ssn || '', '' || email FROM customers")),
                new LexingAttack(
                        "IGNORE_SPACE: a spaced aggregate is the built-in",
                        List.of("SET sql_mode = 'IGNORE_SPACE'", "SELECT ssn, MAX (ssn), MIN  (email) FROM customers")),
                new LexingAttack(
                        "a spaced aggregate calls the stored function of its name",
                        List.of("SELECT ssn, MAX (email) FROM customers", "SELECT v FROM " + SEEN)));
    }

    /** What the administrator's stored function {@code shop.max} saw (it logs its argument). */
    private static final String SEEN = "max_seen";

    /**
     * An administrator's stored function named like a built-in aggregate, which logs its argument: MariaDB calls it
     * for {@code MAX (x)} (a space before the parenthesis) unless IGNORE_SPACE is set.
     */
    @BeforeAll
    static void storedFunctionNamedLikeMax() throws SQLException {
        try (Connection admin = MariaDbServer.shared().connectAsAdmin();
                java.sql.Statement statement = admin.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS shop." + SEEN + " (v VARCHAR(80))");
            statement.execute("CREATE OR REPLACE FUNCTION shop.max(v VARCHAR(80)) RETURNS VARCHAR(80) MODIFIES SQL DATA"
                    + " BEGIN INSERT INTO shop." + SEEN + " VALUES (v); RETURN v; END");
        }
    }

    @BeforeEach
    void nothingSeenYet() throws SQLException {
        try (Connection admin = MariaDbServer.shared().connectAsAdmin();
                java.sql.Statement statement = admin.createStatement()) {
            statement.execute("DELETE FROM shop." + SEEN);
        }
    }

    @BeforeAll
    static void variantA() {
        PiiShop.use(PiiShop.Variant.A);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void mariaDbReadsTheAttackAsAReadOfClearPii(LexingAttack attack) throws SQLException {
        Transcript direct;
        try (Connection connection =
                JdbcClient.CONNECTOR_J.connectDirectTo(MariaDbServer.shared(), PiiShop.NAME, options(attack))) {
            direct = Transcript.record(connection, Transcript.Way.TEXT, attack.statements(), false);
        }
        assertThat(PiiShop.leaksIn(direct.toString()))
                .as("MariaDB answered%n%s", direct)
                .isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void theGatewayLetsNoneOfItThrough(LexingAttack attack) throws SQLException {
        Transcript received;
        try (Connection connection = gateway.connectWithToken(
                JdbcClient.CONNECTOR_J, new Identities(gateway.issuer()).agent(), options(attack))) {
            received = Transcript.record(connection, Transcript.Way.TEXT, attack.statements(), false);
        }
        assertThat(PiiShop.leaksIn(received.toString()))
                .as("the agent received%n%s", received)
                .isEmpty();
    }

    /**
     * Not masked whole by a fallback (every value NULL because the response did not match what the gateway read),
     * but read as the server reads it: ssn arrives in its strategy's form, or the statement is refused with the reason.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void theGatewayReadsTheStatementAsTheServerDoes(LexingAttack attack) throws SQLException {
        Transcript received;
        try (Connection connection = gateway.connectWithToken(
                JdbcClient.CONNECTOR_J, new Identities(gateway.issuer()).agent(), options(attack))) {
            received = Transcript.record(connection, Transcript.Way.TEXT, attack.statements(), false);
        }
        assertThat(received.toString())
                .as("the agent received%n%s", received)
                .containsAnyOf(
                        "*******" + PiiShop.Variant.A.firstSsn().substring(7),
                        "cannot read this statement exactly as the server does",
                        "pii: agents may not use");
    }

    private static String[] options(LexingAttack attack) {
        return Stream.concat(Stream.of("allowMultiQueries=true"), Stream.of(attack.options()))
                .toArray(String[]::new);
    }
}
