package dev.agentgate.e2e.masking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.Sql;
import dev.agentgate.e2e.masking.PiiShop.Variant;
import dev.agentgate.e2e.policy.Identities;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 4: an agent (role agent_readonly of the shipped policy, decided by a real OPA) tries {@link Attacks#ALL}
 * (reads and oracles) to read the masked columns of a real MariaDB through the gateway, over every JDBC route and as
 * one multi-statement; an agent that may also write tries {@link Attacks#WRITES}. Each attempt may be refused or answered
 * masked; it fails when anything the client received (rows, column labels and names, errors, warnings, SHOW
 * WARNINGS) shows clear PII ({@link PiiShop#leakIndicators()}), or when the whole transcript differs between
 * two data {@link Variant}s that differ only in what the masks hide (a single character, an order, a count
 * or a digest that depends on the hidden part got through).
 */
class AdversarialMaskingTest {

    @TempDir
    static Path policyDirectory;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = MaskingGateway.withShippedPolicy(opa, () -> policyDirectory);

    static Stream<Arguments> attacksOverJdbc() {
        return Stream.of(Route.TEXT, Route.SERVER_PREPARED, Route.CURSOR_FETCH)
                .flatMap(route -> selectedAttacks().map(attack -> Arguments.of(route, attack)));
    }

    static Stream<Arguments> writesOverJdbc() {
        return Stream.of(Route.TEXT, Route.SERVER_PREPARED, Route.CURSOR_FETCH)
                .flatMap(route -> Attacks.WRITES.stream().map(attack -> Arguments.of(route, attack)));
    }

    /** Every attack of more than one statement, and every oracle, sent as one multi-statement (text protocol). */
    static Stream<Arguments> attacksAsOneMultiStatement() {
        return selectedAttacks()
                .filter(attack -> attack.statements().size() > 1 || Attacks.ORACLES.contains(attack))
                .map(Arguments::of);
    }

    static Stream<Attack> writesAsOneMultiStatement() {
        return Attacks.WRITES.stream();
    }

    static Stream<Arguments> attacksOverPython() {
        return selectedAttacks()
                .filter(attack -> Attacks.SCRIPT_SUBSET.contains(attack.name()))
                .map(attack -> Arguments.of(Route.PYTHON, attack));
    }

    /** Every attack as separate COM_QUERYs (each followed by SHOW WARNINGS) written at once, without waiting. */
    static Stream<Arguments> attacksPipelined() {
        return selectedAttacks().map(attack -> Arguments.of(Route.PIPELINED, attack));
    }

    /** All attacks, or those whose name matches the regular expression {@code -Dagentgate.e2e.attacks=...}. */
    private static Stream<Attack> selectedAttacks() {
        Pattern selection = Pattern.compile(System.getProperty("agentgate.e2e.attacks", ".*"));
        return Attacks.ALL.stream()
                .filter(attack -> selection.matcher(attack.name()).find());
    }

    @ParameterizedTest(name = "{1} ({0})")
    @MethodSource("attacksOverJdbc")
    void anAgentGetsNoClearPiiOverJdbc(Route route, Attack attack) {
        assertNothingHiddenReachesTheAgent(route, attack);
    }

    @ParameterizedTest(name = "{1} ({0})", allowZeroInvocations = true) // -Dagentgate.e2e.attacks may select none
    @MethodSource("attacksOverPython")
    void anAgentGetsNoClearPiiOverPyMySql(Route route, Attack attack) {
        assertNothingHiddenReachesTheAgent(route, attack);
    }

    @ParameterizedTest(name = "{1} ({0})", allowZeroInvocations = true)
    @MethodSource("attacksPipelined")
    void anAgentGetsNoClearPiiFromPipelinedCommands(Route route, Attack attack) {
        assertNothingHiddenReachesTheAgent(route, attack);
    }

    @ParameterizedTest(name = "{0} (PIPELINED)")
    @MethodSource("writesAsOneMultiStatement")
    void anAgentThatMayWriteGetsNoClearPiiFromPipelinedCommands(Attack attack) {
        assertNoLeakInEitherVariant(
                attack.name(),
                Route.PIPELINED,
                () -> Route.PIPELINED.throughGateway(
                        gateway, MaskingGateway.writingAgent(gateway.issuer()), attack.statements()));
    }

    @ParameterizedTest(name = "{1} ({0})")
    @MethodSource("writesOverJdbc")
    void anAgentThatMayWriteCarriesNoMaskedValuePastTheMasking(Route route, Attack attack) {
        assertNoLeakInEitherVariant(
                attack.name(),
                route,
                () -> route.throughGateway(
                        gateway, MaskingGateway.writingAgent(gateway.issuer()), attack.statements()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacksAsOneMultiStatement")
    void anAgentGetsNoClearPiiFromOneMultiStatement(Attack attack) {
        List<String> pipelined = List.of(String.join("; ", attack.statements()));
        assertNoLeakInEitherVariant(
                attack.name(),
                Route.TEXT,
                () -> Route.TEXT.throughGateway(gateway, new Identities(gateway.issuer()).agent(), pipelined));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writesAsOneMultiStatement")
    void anAgentThatMayWriteGetsNoClearPiiFromOneMultiStatement(Attack attack) {
        List<String> pipelined = List.of(String.join("; ", attack.statements()));
        assertNoLeakInEitherVariant(
                attack.name(),
                Route.TEXT,
                () -> Route.TEXT.throughGateway(gateway, MaskingGateway.writingAgent(gateway.issuer()), pipelined));
    }

    /** One server-side prepared statement executed again and again (binary rows, cursor fetch): masked every time. */
    @ParameterizedTest
    @EnumSource(
            value = Route.class,
            names = {"SERVER_PREPARED", "CURSOR_FETCH"})
    void aPreparedStatementStaysMaskedOverItsExecutions(Route route) {
        List<List<Object>> executions = List.of(List.of(1), List.of(2), List.of(1), List.of(3));
        assertNoLeakInEitherVariant(
                "repeated executions",
                route,
                () -> route.executionsThroughGateway(
                        gateway,
                        new Identities(gateway.issuer()).agent(),
                        "SELECT id, ssn, email, phone, date_of_birth, CONCAT(ssn, email)"
                                + " FROM customers WHERE id = ? OR id = 2",
                        executions));
    }

    /** A placeholder compared with a masked column: the bound value probes the hidden part. */
    @ParameterizedTest
    @EnumSource(
            value = Route.class,
            names = {"SERVER_PREPARED", "CURSOR_FETCH"})
    void aPlaceholderComparedWithAMaskedColumnRevealsNothing(Route route) {
        List<List<Object>> executions = List.of(List.of("8%"), List.of("3%"), List.of("85%"));
        assertNoLeakInEitherVariant(
                "placeholder probe",
                route,
                () -> route.executionsThroughGateway(
                        gateway,
                        new Identities(gateway.issuer()).agent(),
                        "SELECT id, name FROM customers WHERE ssn LIKE ?",
                        executions));
    }

    /**
     * All gateway sessions share the target's service account, so another session's statement text (a DBA's
     * query naming a value) is in that account's process list; the agent must not get it.
     */
    @Test
    void anAgentDoesNotSeeTheStatementTextOfOtherSessions() throws Exception {
        String otherSessionsQuery = "SELECT SLEEP(4) AS waited, '" + Variant.A.firstSsn() + "' AS typed_by_a_dba";
        CompletableFuture<Void> otherSession = CompletableFuture.runAsync(() -> {
            try (Connection connection =
                    JdbcClient.MARIADB_CONNECTOR_J.connectDirectTo(MariaDbServer.shared(), PiiShop.NAME)) {
                Sql.rows(connection, otherSessionsQuery);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try (Connection admin = MariaDbServer.shared().connectAsAdmin()) {
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (!Sql.scalar(
                                    admin,
                                    "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '%typed_by_a_dba%'"
                                            + " AND INFO NOT LIKE '%PROCESSLIST%'")
                            .equals("1")
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        Transcript transcript = Route.TEXT.throughGateway(
                gateway,
                new Identities(gateway.issuer()).agent(),
                List.of("SHOW FULL PROCESSLIST", "SELECT ID, INFO FROM information_schema.PROCESSLIST"));
        otherSession.get(10, TimeUnit.SECONDS);
        assertThat(leaks(Variant.A, transcript)).as("%s", transcript).isEmpty();
    }

    private static void assertNothingHiddenReachesTheAgent(Route route, Attack attack) {
        assertNoLeakInEitherVariant(
                attack.name(),
                route,
                () -> route.throughGateway(gateway, new Identities(gateway.issuer()).agent(), attack.statements()));
    }

    /** Runs {@code attempt} against both variants: no leak indicator in either, and the same transcript. */
    private static void assertNoLeakInEitherVariant(String attack, Route route, Supplier<Transcript> attempt) {
        PiiShop.use(Variant.A);
        Transcript first = attempt.get();
        PiiShop.use(Variant.B);
        Transcript second = attempt.get();
        if (Boolean.getBoolean("agentgate.e2e.printTranscripts")) {
            System.out.println("==== " + attack + " via " + route + "\n" + first);
        }
        List<String> problems = new ArrayList<>();
        problems.addAll(leaks(Variant.A, first));
        problems.addAll(leaks(Variant.B, second));
        if (!first.normalized().equals(second.normalized())) {
            problems.add("the agent's transcript depends on the hidden part of the PII: variant A\n  "
                    + String.join("\n  ", first.lines()) + "\nvariant B\n  " + String.join("\n  ", second.lines()));
        }
        assertThat(problems)
                .as("attack '%s' via %s; transcript (variant A):%n%s", attack, route, first)
                .isEmpty();
    }

    /** Each received line with clear PII in it, with what was found. */
    private static List<String> leaks(Variant variant, Transcript transcript) {
        List<String> found = new ArrayList<>();
        for (String line : transcript.lines()) {
            List<String> indicators = PiiShop.leaksIn(line);
            if (!indicators.isEmpty()) {
                found.add("LEAK (variant " + variant + ") " + indicators + " in: " + line);
            }
        }
        return found;
    }
}
