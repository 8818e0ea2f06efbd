package dev.agentgate.e2e;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code identity.max_token_lifetime} (15 minutes here) and signing keys rotated in by the issuer. */
class TokenLimitsTest {

    @RegisterExtension
    static final GatewayExtension gateway =
            GatewayExtension.configured(config -> config.identitySetting("max_token_lifetime", "15m"));

    @Test
    void refusesATokenWhoseLifetimeIsLongerThanTheMaximum() {
        String hourLong =
                gateway.issuer().token("agent-long-lived").ttlSeconds(3600).mint();

        assertSqlError(
                () -> gateway.connectWithToken(JdbcClient.CONNECTOR_J, hourLong).close(),
                1045,
                "28000",
                "token lifetime longer than identity.max_token_lifetime allows");
    }

    @Test
    void refusesATokenWithoutIssuedAtBecauseItsLifetimeCannotBeChecked() {
        String withoutIat = gateway.issuer().missingClaim("agent-no-iat", "iat");

        assertSqlError(
                () -> gateway.connectWithToken(JdbcClient.CONNECTOR_J, withoutIat)
                        .close(),
                1045,
                "28000",
                "missing required claim 'iat'");
    }

    @Test
    void acceptsATokenWhoseLifetimeIsWithinTheMaximum() throws SQLException {
        String tenMinutes =
                gateway.issuer().token("agent-short-lived").ttlSeconds(600).mint();

        try (Connection connection = gateway.connectWithToken(JdbcClient.CONNECTOR_J, tenMinutes)) {
            assertThat(Sql.scalar(connection, "SELECT 'within the maximum'")).isEqualTo("within the maximum");
        }
    }

    @Test
    void acceptsATokenSignedWithAFreshlyRotatedKeyAtItsFirstLogin() throws SQLException {
        gateway.connect(JdbcClient.CONNECTOR_J, "agent-before-rotation").close();
        int fetchesBefore = gateway.issuer().jwksRequests();

        String rotated = gateway.issuer().validWithAFreshlyRotatedKey("agent-rotated");

        try (Connection connection = gateway.connectWithToken(JdbcClient.CONNECTOR_J, rotated)) {
            assertThat(Sql.scalar(connection, "SELECT 'rotated in'")).isEqualTo("rotated in");
        }
        assertThat(gateway.issuer().jwksRequests())
                .as("the unknown key id made the gateway fetch the key set again")
                .isGreaterThan(fetchesBefore);
    }
}
