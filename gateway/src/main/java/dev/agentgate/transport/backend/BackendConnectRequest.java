package dev.agentgate.transport.backend;

import dev.agentgate.config.TargetConfig;
import io.netty.channel.EventLoop;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a client session asks of {@link BackendConnector}.
 *
 * @param clientCapabilities the capability flags from the client's HandshakeResponse41
 * @param clientAttributes   the client's connect attributes, forwarded except keys starting with {@code agentgate.}
 * @param gatewayAttributes  agentgate's own attributes ({@code agentgate.issuer}, {@code agentgate.subject},
 *                           {@code agentgate.session_id}); they win over anything the client sent
 * @param database           the schema the client asked for, or null for the target's default
 * @param characterSet       the client's collation id, sent to the backend so results arrive in that charset
 * @param eventLoop          the client channel's event loop, so both channels of a session share one thread
 */
public record BackendConnectRequest(
        TargetConfig target,
        long clientCapabilities,
        Map<String, String> clientAttributes,
        Map<String, String> gatewayAttributes,
        String database,
        int characterSet,
        EventLoop eventLoop) {

    static final String GATEWAY_ATTRIBUTE_PREFIX = "agentgate.";

    public BackendConnectRequest {
        Objects.requireNonNull(target, "target must not be null");
        Objects.requireNonNull(eventLoop, "eventLoop must not be null");
        clientAttributes = Map.copyOf(Objects.requireNonNull(clientAttributes, "clientAttributes must not be null"));
        gatewayAttributes = Map.copyOf(Objects.requireNonNull(gatewayAttributes, "gatewayAttributes must not be null"));
        if (characterSet < 1 || characterSet > 255) {
            throw new IllegalArgumentException(
                    "characterSet must be a collation id between 1 and 255, was " + characterSet);
        }
    }

    /** The schema to select at login: the client's choice, else the target's default, else none (null). */
    String effectiveDatabase() {
        if (database != null && !database.isEmpty()) {
            return database;
        }
        return target.database() == null || target.database().isEmpty() ? null : target.database();
    }

    /** Client attributes minus any that pretend to be agentgate's, then agentgate's own. */
    Map<String, String> connectAttributes() {
        Map<String, String> merged = new LinkedHashMap<>();
        clientAttributes.forEach((key, value) -> {
            if (!key.startsWith(GATEWAY_ATTRIBUTE_PREFIX)) {
                merged.put(key, value);
            }
        });
        merged.putAll(gatewayAttributes);
        return merged;
    }
}
