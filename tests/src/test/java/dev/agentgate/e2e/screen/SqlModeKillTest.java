package dev.agentgate.e2e.screen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import java.sql.SQLException;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A KILL that a reader in MariaDB's default sql_mode takes for part of a string or an identifier: under
 * NO_BACKSLASH_ESCAPES {@code 'a\'} is a whole string, under ANSI_QUOTES {@code "a\"} a whole identifier, so
 * {@code SELECT 'a\'; KILL 5; -- '} is two statements to the server. Asked directly, MariaDB runs the KILL. The
 * gateway (policy off: it allows everything) reads the statement in the session's sql_mode, so it sees the KILL
 * inside a multi-statement and refuses it with 1235; a mode change and the trick in one batch is refused as text it
 * cannot read in advance.
 */
class SqlModeKillTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.standard();

    record ModeTrick(String name, LongFunction<List<String>> statements) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ModeTrick> tricks() {
        return Stream.of(
                new ModeTrick(
                        "NO_BACKSLASH_ESCAPES set before the trick",
                        id -> List.of("SET sql_mode = 'NO_BACKSLASH_ESCAPES'", "SELECT 'a\\'; KILL " + id + "; -- '")),
                new ModeTrick(
                        "NO_BACKSLASH_ESCAPES and the trick in one batch",
                        id -> List.of("SET sql_mode = 'NO_BACKSLASH_ESCAPES'; SELECT 'a\\'; KILL " + id + "; -- '")),
                new ModeTrick(
                        "ANSI_QUOTES set before the trick",
                        id -> List.of("SET sql_mode = 'ANSI_QUOTES'", "SELECT 1 AS \"a\\\"; KILL " + id + "; -- \"")),
                new ModeTrick(
                        "ANSI_QUOTES and the trick in one batch",
                        id -> List.of("SET sql_mode = 'ANSI_QUOTES'; SELECT 1 AS \"a\\\"; KILL " + id + "; -- \"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tricks")
    void mariaDbReadsTheTrickAsAKillAndTheVictimDies(ModeTrick trick) throws SQLException {
        KillAttempt attempt = KillAttempt.direct(trick.statements());

        assertThat(attempt.victimAlive()).as("victim alive after %s", attempt).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tricks")
    void theGatewayReadsTheTrickAsTheServerDoesAndRefusesTheKill(ModeTrick trick) throws SQLException {
        KillAttempt attempt = KillAttempt.throughGateway(gateway, trick.statements());

        assertThat(attempt.victimAlive()).as("victim alive after %s", attempt).isTrue();
        assertThat(attempt.refusal().getErrorCode())
                .as("error code of %s", attempt.refusal())
                .isEqualTo(1235);
    }
}
