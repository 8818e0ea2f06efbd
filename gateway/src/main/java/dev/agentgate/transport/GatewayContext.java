package dev.agentgate.transport;

import dev.agentgate.admin.GatewayCounters;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.enforcement.SessionAdmission;
import dev.agentgate.enforcement.StatementGate;
import dev.agentgate.identity.LoginRateLimiter;
import dev.agentgate.identity.TokenValidator;
import dev.agentgate.session.SessionEvents;
import dev.agentgate.session.SessionRegistry;
import dev.agentgate.transport.backend.BackendConnector;
import dev.agentgate.transport.backend.StatementCanceller;
import io.netty.handler.ssl.SslContext;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Everything a client session needs from the running gateway, shared by all sessions.
 *
 * @param gate puts statements through policy; null only when policy is disabled (dev mode)
 * @param greeting what every client is greeted with
 * @param counters login and refusal counts shown by the admin endpoint
 * @param canceller stops statements sessions left running on the backend; null only in tests without a backend
 * @param events where every session's events go ({@link SessionEvents#NONE}: nowhere)
 * @param admission the session decision at login; null exactly when {@code gate} is (policy disabled)
 */
record GatewayContext(
        GatewayConfig config,
        TokenValidator tokenValidator,
        LoginRateLimiter loginRateLimiter,
        SessionRegistry registry,
        BackendConnector backendConnector,
        SslContext serverSslContext,
        StatementGate gate,
        Greeting greeting,
        SecureRandom random,
        GatewayCounters counters,
        StatementCanceller canceller,
        SessionEvents events,
        SessionAdmission admission) {

    GatewayContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(tokenValidator, "tokenValidator");
        Objects.requireNonNull(loginRateLimiter, "loginRateLimiter");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(backendConnector, "backendConnector");
        Objects.requireNonNull(serverSslContext, "serverSslContext");
        Objects.requireNonNull(greeting, "greeting");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(events, "events");
        if ((gate == null) != (admission == null)) {
            throw new IllegalArgumentException(
                    "a gateway with a statement gate decides its sessions too (and only then)");
        }
    }

    /** A gateway without policy (so without session decisions) whose sessions' events go nowhere. */
    GatewayContext(
            GatewayConfig config,
            TokenValidator tokenValidator,
            LoginRateLimiter loginRateLimiter,
            SessionRegistry registry,
            BackendConnector backendConnector,
            SslContext serverSslContext,
            StatementGate gate,
            Greeting greeting,
            SecureRandom random,
            GatewayCounters counters,
            StatementCanceller canceller) {
        this(
                config,
                tokenValidator,
                loginRateLimiter,
                registry,
                backendConnector,
                serverSslContext,
                gate,
                greeting,
                random,
                counters,
                canceller,
                SessionEvents.NONE,
                null);
    }

    /**
     * The server version and character set presented to clients before the target is known.
     *
     * @param extendedMetadata whether the targets offer MariaDB's MARIADB_CLIENT_EXTENDED_METADATA
     */
    record Greeting(String serverVersion, int characterSet, boolean extendedMetadata) {

        Greeting(String serverVersion, int characterSet) {
            this(serverVersion, characterSet, false);
        }
    }

    /**
     * A fresh scramble. Like MySQL's, it avoids NUL (the greeting's part 2 is NUL-terminated) and
     * stays in printable ASCII, which some clients assume.
     */
    byte[] newSeed() {
        byte[] seed = new byte[20];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (33 + random.nextInt(94));
        }
        return seed;
    }
}
