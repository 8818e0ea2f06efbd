package dev.agentgate.session;

import dev.agentgate.analysis.LexingMode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a policy may know about the session a statement runs in (the {@code session} part of the
 * policy input). Immutable; the relay makes a new one when the current database changes.
 *
 * @param database current default schema, null when none
 * @param clientProgram {@code program_name} connect attribute, else {@code _client_name}, else null
 * @param lexing how the server reads this session's SQL now (version, sql_mode, character set), as it reported
 */
public record SessionFacts(
        int connectionId,
        String sessionId,
        String target,
        String database,
        String clientAddress,
        boolean tls,
        String clientProgram,
        Map<String, String> connectAttributes,
        Instant startedAt,
        Instant tokenExpiresAt,
        LexingMode lexing) {

    /** A session whose SQL the server reads in {@link LexingMode#DEFAULT}. */
    public SessionFacts(
            int connectionId,
            String sessionId,
            String target,
            String database,
            String clientAddress,
            boolean tls,
            String clientProgram,
            Map<String, String> connectAttributes,
            Instant startedAt,
            Instant tokenExpiresAt) {
        this(
                connectionId,
                sessionId,
                target,
                database,
                clientAddress,
                tls,
                clientProgram,
                connectAttributes,
                startedAt,
                tokenExpiresAt,
                LexingMode.DEFAULT);
    }

    /**
     * The gateway instance that holds the session: the part of the session id before its last {@code -} (session
     * ids are {@code <instance_id>-<random hex>}); empty for an id without one.
     */
    public String gatewayInstance() {
        int dash = sessionId.lastIndexOf('-');
        return dash < 0 ? "" : sessionId.substring(0, dash);
    }

    public SessionFacts {
        Objects.requireNonNull(lexing, "lexing");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(startedAt, "startedAt");
        connectAttributes = Map.copyOf(connectAttributes);
    }

    /** The program a client names in its connect attributes, as MySQL's own tools report it. */
    public static String clientProgram(Map<String, String> connectAttributes) {
        String program = connectAttributes.get("program_name");
        return program != null ? program : connectAttributes.get("_client_name");
    }

    public SessionFacts withDatabase(String newDatabase) {
        return new SessionFacts(
                connectionId,
                sessionId,
                target,
                newDatabase,
                clientAddress,
                tls,
                clientProgram,
                connectAttributes,
                startedAt,
                tokenExpiresAt,
                lexing);
    }

    public SessionFacts withLexing(LexingMode newLexing) {
        return new SessionFacts(
                connectionId,
                sessionId,
                target,
                database,
                clientAddress,
                tls,
                clientProgram,
                connectAttributes,
                startedAt,
                tokenExpiresAt,
                newLexing);
    }
}
