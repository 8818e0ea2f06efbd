package dev.agentgate.config;

import static dev.agentgate.config.ConfigFixture.ISSUER;
import static dev.agentgate.config.ConfigFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state and approval sections. */
class StateSectionsLoadingTest {
    @TempDir
    Path dir;

    private static final String FLEET_HASH_KEY = "policy:\n  masking:\n    hash_key: \"fleet-wide-hash-key-0123\"\n";

    private ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(dir);
    }

    @Test
    void keepsStateInAnSqliteFileInTheDataDirectoryByDefault() {
        StateConfig state = fixture.load(ISSUER + TARGET).state();

        assertThat(state.url()).isEqualTo("jdbc:sqlite:" + dir.resolve("data/agentgate-state.db"));
        assertThat(state.poolSize()).isEqualTo(1);
    }

    @Test
    void readsASharedStateDatabase() {
        StateConfig state = fixture.load(ISSUER + TARGET
                        + "state:\n  url: jdbc:mariadb://db:3306/agentgate\n  user: gw\n  password: \"s3cret\"\n"
                        + FLEET_HASH_KEY)
                .state();

        assertThat(state).isEqualTo(new StateConfig("jdbc:mariadb://db:3306/agentgate", "gw", "s3cret", 4));
    }

    @Test
    void aSharedStateDatabaseRequiresTheMaskingHashKeySoEveryReplicaHashesAlike() {
        fixture.assertRejected(
                ISSUER + TARGET + "state:\n  url: jdbc:postgresql://db:5432/agentgate?password=s3cret\n",
                "policy.masking.hash_key: is required with a shared state database (state.url"
                        + " jdbc:postgresql://db:5432/agentgate?password=***): every replica of a fleet must hash a"
                        + " masked value alike, and without a key each gateway process hashes with a random key of its"
                        + " own");
    }

    @Test
    void anSqliteStateDatabaseOfOneGatewayNeedsNoMaskingHashKey() {
        StateConfig state = fixture.load(ISSUER + TARGET + "state:\n  url: jdbc:sqlite:" + dir.resolve("own.db") + "\n")
                .state();

        assertThat(state.isSqlite()).isTrue();
    }

    @Test
    void refusesAPoolOfMoreThanOneForSqlite() {
        fixture.assertRejected(
                ISSUER + TARGET + "state:\n  pool_size: 3\n",
                "state.pool_size: must be 1 for an SQLite state database, was 3");
    }

    @Test
    void readsApprovalDefaults() {
        ApprovalConfig approval = fixture.load(
                        ISSUER + TARGET + "approval:\n  default_mode: ticket\n  default_timeout: 5m\n  grant_uses: 2\n")
                .approval();

        assertThat(approval.defaultMode()).isEqualTo("ticket");
        assertThat(approval.defaultTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(approval.grantUses()).isEqualTo(2);
    }

    @Test
    void refusesAnUnknownApprovalMode() {
        fixture.assertRejected(
                ISSUER + TARGET + "approval:\n  default_mode: wait\n",
                "approval.default_mode: must be one of hold, ticket, was 'wait'");
    }
}
