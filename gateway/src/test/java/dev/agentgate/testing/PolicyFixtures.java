package dev.agentgate.testing;

import dev.agentgate.identity.Identity;
import dev.agentgate.policy.OpaSettings;
import dev.agentgate.session.SessionFacts;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Identities and sessions as the gateway would have them after a login, for policy tests. */
public final class PolicyFixtures {

    public static final String DEV_ISSUER = "agentgate-dev";
    public static final Instant STARTED_AT = Instant.parse("2026-11-23T23:50:00Z");
    public static final Instant TOKEN_EXPIRES_AT = Instant.parse("2026-11-24T00:50:00Z");

    private PolicyFixtures() {}

    /** A dev-issuer identity with the given extra claims (e.g. {@code agent=true}, {@code role=dba}). */
    public static Identity devIdentity(String subject, Map<String, Object> extraClaims) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", DEV_ISSUER);
        claims.put("sub", subject);
        claims.put("aud", "agentgate");
        claims.put("iat", TOKEN_EXPIRES_AT.getEpochSecond() - 3600);
        claims.put("exp", TOKEN_EXPIRES_AT.getEpochSecond());
        claims.putAll(extraClaims);
        return new Identity(DEV_ISSUER, subject, claims, TOKEN_EXPIRES_AT);
    }

    /** A read-only agent of the shipped policy (role binding {@code agent: "true"} of the dev issuer). */
    public static Identity readOnlyAgent() {
        return devIdentity("agent-7", Map.of("agent", "true"));
    }

    /**
     * OPA client settings with a generous time limit: a fresh JVM's first calls may take longer than
     * the default 250 ms without OPA being slow (the limit itself is tested in OpaClientTest).
     */
    public static OpaSettings patientOpa(URI url) {
        return new OpaSettings(
                url, OpaSettings.DEFAULT_DECISION_PATH, Duration.ofSeconds(3), 16, Duration.ofSeconds(2));
    }

    /** A session on target {@code appdb} over TLS from the mysql client, in {@code database} (null: none). */
    public static SessionFacts session(String database) {
        Map<String, String> attributes = Map.of("_client_name", "libmariadb", "program_name", "mysql");
        return new SessionFacts(
                12,
                "gw-a-3f2c9e1b7d4a6058",
                "appdb",
                database,
                "10.1.2.3:50312",
                true,
                SessionFacts.clientProgram(attributes),
                attributes,
                STARTED_AT,
                TOKEN_EXPIRES_AT);
    }
}
