package dev.agentgate.session;

import java.time.Instant;
import java.util.Objects;

/**
 * What the gateway knows about one live client session, as shown to operators and used to
 * authorise {@code KILL}: who is behind it and which backend thread serves it.
 *
 * @param connectionId the connection id the client was given in the greeting
 * @param sessionId the gateway-wide session id that appears in logs and backend connect attributes
 * @param issuer token issuer of the identity that logged in
 * @param subject token subject of the identity that logged in
 * @param target name of the configured target this session is connected to
 * @param backendThreadId the backend's thread (connection) id for this session's backend connection
 * @param clientAddress textual client address
 * @param startedAt when the client connected
 */
public record SessionInfo(
        int connectionId,
        String sessionId,
        String issuer,
        String subject,
        String target,
        long backendThreadId,
        String clientAddress,
        Instant startedAt) {

    public SessionInfo {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
