package dev.agentgate.transport;

import dev.agentgate.admin.GatewayCounters;
import dev.agentgate.config.DevIssuerConfig;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.IdentityConfig;
import dev.agentgate.config.ListenConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.identity.JwtTokenValidator;
import dev.agentgate.identity.LoginRateLimiter;
import dev.agentgate.session.SessionRegistry;
import dev.agentgate.transport.backend.BackendConnector;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/**
 * A gateway context for connection-phase tests: dev issuer (key in {@code dir}), one target {@code appdb}, no
 * policy. Close it to stop the token validator.
 */
record ConnectionPhaseGateway(GatewayContext context, JwtTokenValidator validator) implements AutoCloseable {

    static ConnectionPhaseGateway create(Path dir, GatewayContext.Greeting greeting) throws Exception {
        return create(dir, greeting, ListenConfig.defaults());
    }

    static ConnectionPhaseGateway create(Path dir, GatewayContext.Greeting greeting, ListenConfig listen)
            throws Exception {
        Path key = dir.resolve("dev.jwk.json");
        if (!Files.exists(key)) {
            DevIssuer.writeKeyFile(DevIssuer.generateKey(), key);
        }
        IdentityConfig identity =
                new IdentityConfig(Duration.ofSeconds(60), List.of(), new DevIssuerConfig(key, List.of("agentgate")));
        GatewayConfig config = GatewayConfig.builder()
                .devMode(true)
                .identity(identity)
                .listen(listen)
                .target(TargetConfig.of("appdb", "127.0.0.1", 3306, "svc", "pw"))
                .build();
        JwtTokenValidator validator = JwtTokenValidator.create(identity, true);
        GatewayContext context = new GatewayContext(
                config,
                validator,
                new LoginRateLimiter(20),
                new SessionRegistry(10),
                new BackendConnector(
                        NioSocketChannel.class, 1 << 20, config.targets().values()),
                ServerTls.serverContext(config.tls()),
                null,
                greeting,
                new SecureRandom(),
                new GatewayCounters(),
                null);
        return new ConnectionPhaseGateway(context, validator);
    }

    @Override
    public void close() {
        validator.close();
    }
}
