package dev.agentgate.e2e.screen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.Sql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dynamic SQL that builds a raw {@code KILL} the gateway would not see: a user variable, CONCAT, literals run
 * together, a hex literal, a character set introducer, a stored procedure (with or without dynamic SQL). Asked directly,
 * MariaDB runs each and kills the victim's thread (every session shares the gateway's service account, so the
 * server allows it). Through the gateway, whose policy is off here (it allows everything, more than the shipped
 * DBA role), the screen refuses each with 1235 and the victim lives on.
 */
class DynamicSqlKillTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.standard();

    private static final MariaDbServer mariadb = MariaDbServer.shared();

    record KillAttack(String name, LongFunction<List<String>> statements) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<KillAttack> attacks() {
        return Stream.of(
                new KillAttack(
                        "PREPARE from a user variable",
                        id -> List.of("SET @q = 'KILL " + id + "'", "PREPARE s FROM @q", "EXECUTE s")),
                new KillAttack(
                        "the same in one multi-statement packet",
                        id -> List.of("SET @q = CONCAT('KI', 'LL ', " + id + "); PREPARE s FROM @q; EXECUTE s")),
                new KillAttack(
                        "PREPARE from CONCAT",
                        id -> List.of("PREPARE s FROM CONCAT('KI', 'LL " + id + "')", "EXECUTE s")),
                new KillAttack(
                        "PREPARE from literals run together",
                        id -> List.of("PREPARE s FROM 'KI' 'LL " + id + "'", "EXECUTE s")),
                new KillAttack("PREPARE from a hex literal", id -> List.of("PREPARE s FROM 0x" + hex(id), "EXECUTE s")),
                new KillAttack(
                        "EXECUTE IMMEDIATE of a charset introducer and hex",
                        id -> List.of("EXECUTE IMMEDIATE _latin1 X'" + hex(id) + "'")),
                new KillAttack(
                        "EXECUTE IMMEDIATE of CONCAT",
                        id -> List.of("EXECUTE IMMEDIATE CONCAT('KI', 'LL " + id + "')")),
                new KillAttack(
                        "EXECUTE IMMEDIATE of CONCAT inside a stored procedure",
                        id -> List.of(
                                "DROP PROCEDURE IF EXISTS dynamic_killer",
                                "CREATE PROCEDURE dynamic_killer() EXECUTE IMMEDIATE CONCAT('KI', 'LL " + id + "')",
                                "CALL dynamic_killer()")),
                new KillAttack(
                        "a literal whose text holds the other quote",
                        id -> List.of("PREPARE s FROM 'KILL " + id + " /*\"*/'", "EXECUTE s")),
                new KillAttack(
                        "a stored procedure that kills",
                        id -> List.of(
                                "DROP PROCEDURE IF EXISTS killer",
                                "CREATE PROCEDURE killer() KILL " + id,
                                "CALL killer()")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void mariaDbRunsTheBuiltKillAndTheVictimDies(KillAttack attack) throws SQLException {
        KillAttempt attempt = KillAttempt.direct(attack.statements());

        assertThat(attempt.victimAlive()).as("victim alive after %s", attempt).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void theGatewayRefusesTheDynamicTextAndTheVictimLives(KillAttack attack) throws SQLException {
        KillAttempt attempt = KillAttempt.throughGateway(gateway, attack.statements());

        assertThat(attempt.victimAlive()).as("victim alive after %s", attempt).isTrue();
        assertThat(attempt.refusal().getErrorCode())
                .as("error code of %s", attempt.refusal())
                .isEqualTo(1235);
        assertThat(attempt.refusal().getMessage()).containsAnyOf("one string literal", "KILL inside");
    }

    @Test
    void aLiteralDynamicStatementRunsAndTellsHowToWriteOneThatIsRefused() throws SQLException {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "alice")) {
            execute(connection, "PREPARE s FROM 'SELECT ? + 1'");
            execute(connection, "SET @x = 41");
            assertThat(Sql.scalar(connection, "EXECUTE s USING @x")).isEqualTo("42");
            assertThat(Sql.scalar(connection, "EXECUTE IMMEDIATE 'SELECT ''literal'''"))
                    .isEqualTo("literal");
            SQLException refused = (SQLException) catchThrowable(() -> execute(connection, "PREPARE s FROM @x"));
            assertThat(refused.getMessage())
                    .contains("PREPARE ... FROM with a user variable is not supported through agentgate")
                    .contains("PREPARE s FROM 'SELECT ...'");
        }
    }

    /** MariaDB itself refuses EXECUTE IMMEDIATE inside EXECUTE IMMEDIATE; the gateway refuses the hidden text first. */
    @Test
    void aNestedExecuteImmediateOfAComputedKillIsRefusedAsDynamicText() throws SQLException {
        try (Connection connection = gateway.connect(JdbcClient.CONNECTOR_J, "mallory")) {
            SQLException refused = (SQLException) catchThrowable(
                    () -> execute(connection, "EXECUTE IMMEDIATE 'EXECUTE IMMEDIATE CONCAT(''KI'', ''LL 1'')'"));
            assertThat(refused.getErrorCode()).isEqualTo(1235);
            assertThat(refused.getMessage()).contains("EXECUTE IMMEDIATE with an expression or identifier");
        }
    }

    private static String hex(long id) {
        return HexFormat.of().formatHex(("KILL " + id).getBytes(StandardCharsets.US_ASCII));
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
