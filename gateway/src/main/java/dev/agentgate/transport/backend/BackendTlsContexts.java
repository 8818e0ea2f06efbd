package dev.agentgate.transport.backend;

import dev.agentgate.config.BackendTlsConfig;
import dev.agentgate.config.BackendTlsMode;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.protocol.CapabilityFlags;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * When and how the gateway encrypts its connection to a target. Client-side TLS contexts for targets, one per target, built when the connector is created because reading the
 * CA file is disk I/O that must not happen on an event loop.
 *
 * <p>{@code preferred} and {@code required} encrypt without authenticating the server (like MySQL's
 * {@code --ssl-mode}); {@code verify_ca} checks the chain against {@code ca_file} (the JVM's trust store when
 * absent) but not the host name; {@code verify_identity} checks both.
 */
final class BackendTlsContexts {

    private BackendTlsContexts() {}

    /** The context for the target, or empty when its mode is {@code disabled}. */
    static Optional<SslContext> forTarget(TargetConfig target) throws BackendConnectException {
        BackendTlsMode mode = target.tls().mode();
        if (mode == BackendTlsMode.DISABLED) {
            return Optional.empty();
        }
        SslContextBuilder builder = SslContextBuilder.forClient();
        try {
            switch (mode) {
                case PREFERRED, REQUIRED ->
                    builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
                case VERIFY_CA -> trustConfiguredCa(builder, target.tls()).endpointIdentificationAlgorithm(null);
                case VERIFY_IDENTITY ->
                    trustConfiguredCa(builder, target.tls()).endpointIdentificationAlgorithm("HTTPS");
                default -> throw new IllegalStateException("unhandled TLS mode " + mode);
            }
            return Optional.of(builder.build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new BackendConnectException("target '" + target.name() + "' has an unusable tls.ca_file", e);
        }
    }

    /** Whether to upgrade to TLS given what the server offers; fails when the mode demands TLS it does not offer. */
    static boolean useTls(TargetConfig target, long serverFlags) throws BackendConnectException {
        BackendTlsMode mode = target.tls().mode();
        boolean offered = CapabilityFlags.has(serverFlags, CapabilityFlags.CLIENT_SSL);
        if (mode == BackendTlsMode.DISABLED || mode == BackendTlsMode.PREFERRED && !offered) {
            return false;
        }
        if (!offered) {
            throw new BackendConnectException(
                    "target '" + target.name() + "' does not offer TLS, but its tls mode is " + mode.configName());
        }
        return true;
    }

    private static SslContextBuilder trustConfiguredCa(SslContextBuilder builder, BackendTlsConfig tls) {
        return tls.caFile() == null
                ? builder
                : builder.trustManager(tls.caFile().toFile());
    }
}
