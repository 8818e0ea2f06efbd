package dev.agentgate.e2e.env;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One gateway per test class, with its own OIDC issuer and the target {@value #TARGET} on the shared MariaDB:
 * {@code @RegisterExtension static final GatewayExtension gateway = GatewayExtension.standard();}.
 * Prints the tail of the gateway's log when a test fails (the log is deleted when the class ends).
 */
public final class GatewayExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    public static final String TARGET = "appdb";

    private final BiFunction<OidcIssuer, GatewayConfigBuilder, GatewayConfigBuilder> configuration;
    private OidcIssuer issuer;
    private GatewayProcess process;

    private GatewayExtension(BiFunction<OidcIssuer, GatewayConfigBuilder, GatewayConfigBuilder> configuration) {
        this.configuration = configuration;
    }

    /** The default config: TLS, one issuer, target {@value #TARGET}. */
    public static GatewayExtension standard() {
        return new GatewayExtension((issuer, config) -> config);
    }

    /** The default config changed by {@code configuration}, e.g. {@code b -> b.maxConnections(3)}. */
    public static GatewayExtension configured(UnaryOperator<GatewayConfigBuilder> configuration) {
        return new GatewayExtension((issuer, config) -> configuration.apply(config));
    }

    /**
     * The default config changed by {@code configuration}, which also sees the class's issuer (already
     * started): for what must name it, such as the policy data's role bindings of an OPA sidecar.
     */
    public static GatewayExtension configuredWithIssuer(
            BiFunction<OidcIssuer, GatewayConfigBuilder, GatewayConfigBuilder> configuration) {
        return new GatewayExtension(configuration);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        issuer = OidcIssuer.start();
        process = configuration
                .apply(issuer, GatewayProcess.builder().issuer(issuer).target(TARGET, MariaDbServer.shared()))
                .start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (process != null) {
            process.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (process != null) {
            System.err.println("---- " + context.getDisplayName() + " failed; tail of " + process + " ----");
            System.err.println(process.logTail(60));
        }
    }

    public OidcIssuer issuer() {
        return issuer;
    }

    public GatewayProcess process() {
        return process;
    }

    /** Logs in to {@value #TARGET} through the gateway with a valid token for {@code subject}. */
    public Connection connect(JdbcClient client, String subject, String... options) throws SQLException {
        return client.connect(process, TARGET, issuer.valid(subject), options);
    }

    /** Logs in to {@value #TARGET} through the gateway with the given token. */
    public Connection connectWithToken(JdbcClient client, String token, String... options) throws SQLException {
        return client.connect(process, TARGET, token, options);
    }
}
