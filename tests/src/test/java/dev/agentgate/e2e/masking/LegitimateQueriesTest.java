package dev.agentgate.e2e.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.policy.Identities;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 4: masking costs legitimate queries nothing. What an agent may see (non-PII tables, the unmasked
 * columns of the PII table) and everything a DBA (role dba: unmasked) reads comes through the gateway exactly
 * as MariaDB sends it to a direct connection of the same driver: the same column labels, names, tables, types,
 * precision and scale, and the same getString and getBytes of every value, over text, server-side prepared,
 * cursor fetch and PyMySQL. And what the agent may not see in clear arrives in the shipped strategies' forms.
 */
class LegitimateQueriesTest {

    @TempDir
    static Path policyDirectory;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = MaskingGateway.withShippedPolicy(opa, () -> policyDirectory);

    /** Queries an agent may run unchanged: no masked column in any result or clause. */
    private static final String DERIVED_TABLE_JOIN =
            "SELECT o.id, c.name FROM orders o JOIN (SELECT id AS customer_id, name FROM customers) c USING (customer_id)"
                    + " ORDER BY o.id";

    private static final List<String> FOR_EVERYONE = List.of(
            "SELECT * FROM products ORDER BY id",
            "SELECT id, name, price, price * 2 AS doubled, CONCAT(name, '!') AS shout FROM products ORDER BY id",
            "SELECT COUNT(*), SUM(price), AVG(price), MAX(name) FROM products",
            "SELECT * FROM type_samples ORDER BY id",
            "SELECT 1 AS one, 'x' AS s, NULL AS n, 2.50 AS d, 'héllo 😀' AS u",
            "SELECT id, name, city FROM customers ORDER BY id",
            "SELECT name FROM customers WHERE city = '" + PiiShop.FIRST_CUSTOMER_CITY + "'",
            "SELECT city, COUNT(*) AS n FROM customers GROUP BY city ORDER BY city",
            "SELECT c.name, o.qty, p.name AS product FROM orders o JOIN customers c ON c.id = o.customer_id"
                    + " JOIN products p ON p.id = o.product_id ORDER BY o.id",
            "SELECT id, name FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE qty > 1) ORDER BY id",
            "WITH t AS (SELECT id, name FROM customers) SELECT * FROM t ORDER BY id",
            "SELECT brand, customer_id FROM payment_methods ORDER BY id",
            "SELECT COUNT(*) FROM customers",
            // the constructs refused for masked columns, over unmasked ones: selectors, conversions, joins by name
            "SELECT id, ELT(LOCATE('a', name), 'x', 'y') AS e, COALESCE(NULLIF(city, 'Oslo'), 'none') AS c,"
                    + " CASE WHEN id > 1 THEN name END AS n, IF(city LIKE 'Z%', 1, 0) AS z FROM customers ORDER BY id",
            "SELECT id, CAST(price AS SIGNED) AS p, price + 1 AS more, SUBSTRING(name, id) AS tail FROM products ORDER BY id",
            "SELECT c.name FROM customers c NATURAL JOIN (SELECT 1 AS id) AS g",
            DERIVED_TABLE_JOIN,
            "SELECT city, GROUP_CONCAT(name ORDER BY name) AS names FROM customers GROUP BY city ORDER BY city");

    /** Queries only an unmasked identity gets unchanged. */
    private static final List<String> FOR_THE_DBA = List.of(
            "SELECT * FROM customers ORDER BY id",
            "SELECT ssn, email, phone, date_of_birth, CONCAT(ssn, email) AS both_ FROM customers ORDER BY ssn",
            "SELECT * FROM payment_methods ORDER BY id",
            "SELECT * FROM customer_contacts ORDER BY id");

    /** The subset PyMySQL runs. */
    private static final List<String> SCRIPT_SUBSET = List.of(
            FOR_EVERYONE.get(0), FOR_EVERYONE.get(3), FOR_EVERYONE.get(5), FOR_EVERYONE.get(8), FOR_THE_DBA.get(0));

    enum Who {
        AGENT,
        DBA
    }

    static Stream<Arguments> legitimateQueries() {
        Stream<Arguments> jdbc = Stream.of(Route.TEXT, Route.SERVER_PREPARED, Route.CURSOR_FETCH)
                .flatMap(route -> Stream.concat(
                        FOR_EVERYONE.stream()
                                .flatMap(sql -> Stream.of(
                                        Arguments.of(Who.AGENT, route, sql), Arguments.of(Who.DBA, route, sql))),
                        FOR_THE_DBA.stream().map(sql -> Arguments.of(Who.DBA, route, sql))));
        Stream<Arguments> python = SCRIPT_SUBSET.stream()
                .map(sql -> Arguments.of(FOR_THE_DBA.contains(sql) ? Who.DBA : Who.AGENT, Route.PYTHON, sql));
        return Stream.concat(jdbc, python);
    }

    @ParameterizedTest(name = "{2} as {0} ({1})")
    @MethodSource("legitimateQueries")
    void theGatewayAnswersExactlyAsMariaDbDoes(Who who, Route route, String sql) {
        // No SHOW WARNINGS after the query: after a statement under masking (any read of the PII table by an agent)
        // the gateway rewrites the next SHOW WARNINGS' Message column by design, even when nothing was masked.
        Transcript direct = route.direct(List.of(sql), false);
        assertThat(direct.lines())
                .as("the query itself works directly:%n%s", direct)
                .noneMatch(
                        line -> line.startsWith("error") || line.startsWith("login") || line.startsWith("exit code"));
        Transcript throughGateway = route.throughGateway(gateway, token(who), List.of(sql), false);
        assertThat(throughGateway.normalized())
                .as("through the gateway as %s:%n%s%ndirectly:%n%s", who, throughGateway, direct)
                .isEqualTo(direct.normalized());
    }

    @ParameterizedTest
    @EnumSource(
            value = Route.class,
            names = {"TEXT", "SERVER_PREPARED", "CURSOR_FETCH", "PYTHON"})
    void anAgentGetsThePiiColumnsInTheShippedStrategiesForms(Route route) {
        PiiShop.use(PiiShop.Variant.A);
        Transcript transcript = route.throughGateway(
                gateway,
                token(Who.AGENT),
                List.of("SELECT id, name, email, ssn, phone, date_of_birth FROM customers ORDER BY id"));
        String rows = String.join(
                "\n",
                transcript.lines().stream()
                        .filter(line -> line.startsWith("row:"))
                        .toList());
        assertThat(rows)
                .as("the rows of%n%s", transcript)
                .contains(
                        "[Ada",
                        "[***@example.com",
                        "[*******9264",
                        "[********23",
                        "[***@example.org",
                        "[*******0417",
                        "[********78")
                .doesNotContain("[1961", "[1974");
        assertThat(PiiShop.leaksIn(transcript.toString()))
                .as("clear PII in%n%s", transcript)
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(
            value = Route.class,
            names = {"TEXT", "SERVER_PREPARED", "CURSOR_FETCH", "PYTHON"})
    void anAgentGetsCardNumbersAsKeyedHashes(Route route) {
        Transcript transcript = route.throughGateway(
                gateway, token(Who.AGENT), List.of("SELECT brand, card_number FROM payment_methods ORDER BY id"));
        assertThat(transcript.toString())
                .as("%s", transcript)
                .contains("[visa", MaskingGateway.hashed("4929123456781234"))
                .contains("[amex", MaskingGateway.hashed("8812007731415926"));
        assertThat(PiiShop.leaksIn(transcript.toString()))
                .as("clear PII in%n%s", transcript)
                .isEmpty();
    }

    private static String token(Who who) {
        Identities identities = new Identities(gateway.issuer());
        return who == Who.AGENT ? identities.agent() : identities.dba();
    }
}
