package dev.agentgate.testing;

import dev.agentgate.config.DevIssuerConfig;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.IdentityConfig;
import dev.agentgate.config.ListenConfig;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.config.PolicyConfig;
import dev.agentgate.config.TlsConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The parts of a test gateway's configuration every in-process fixture shares. */
public final class TestGatewayConfig {

    /**
     * The greeting's version as Connector/J needs it against MariaDB 10.11: with the probed "5.5.5-10.11...-MariaDB"
     * it fails the token login, and from 5.7.20 on it reads {@code @@transaction_isolation}, which MariaDB lacks.
     */
    public static final String SERVER_VERSION = "5.7.19-agentgate";

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(1);

    private TestGatewayConfig() {}

    /** Loopback on {@code port}, the default limits otherwise. */
    public static ListenConfig listen(int port, Duration idleTimeout, Duration shutdownGrace) {
        ListenConfig defaults = ListenConfig.defaults();
        return new ListenConfig(
                "127.0.0.1",
                port,
                defaults.maxConnections(),
                defaults.handshakeTimeout(),
                idleTimeout,
                shutdownGrace,
                SERVER_VERSION,
                defaults.maxPacketSize());
    }

    /**
     * OPA at {@code opaUrl} with time limits a loaded test machine's fresh OPA keeps (the default 250 ms can cancel
     * the warm-up question).
     */
    public static PolicyConfig patientPolicy(URI opaUrl, MaskingConfig masking) {
        return new PolicyConfig(
                opaUrl,
                PolicyConfig.DEFAULT_DECISION_PATH,
                Duration.ofSeconds(5),
                PolicyConfig.DEFAULT_MAX_CONCURRENT,
                PolicyConfig.DEFAULT_CIRCUIT_OPEN_FOR,
                PolicyConfig.DEFAULT_CACHE_MAX_ENTRIES,
                Duration.ofSeconds(2),
                false,
                masking);
    }

    /** Dev mode on a free loopback port, TLS with {@code certificates}, tokens of the dev issuer keyed by {@code key}. */
    public static GatewayConfig.Builder devGateway(TestCertificates certificates, Path key) {
        return GatewayConfig.builder()
                .devMode(true)
                .listen(listen(FreePorts.next(), ListenConfig.defaults().idleTimeout(), SHUTDOWN_GRACE))
                .tls(new TlsConfig(certificates.serverCertificate(), certificates.serverKey(), false))
                .identity(new IdentityConfig(
                        IdentityConfig.DEFAULT_CLOCK_SKEW, List.of(), new DevIssuerConfig(key, List.of("agentgate"))));
    }
}
