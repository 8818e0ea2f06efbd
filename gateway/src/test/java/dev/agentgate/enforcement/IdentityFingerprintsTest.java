package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.identity.Identity;
import dev.agentgate.testing.PolicyFixtures;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The identity part of a decision-cache key: everything a policy can see, minus per-token claims. */
class IdentityFingerprintsTest {

    private final IdentityFingerprints fingerprints = new IdentityFingerprints();

    @Test
    void theSameSubjectWithOtherRolesHasAnotherFingerprint() {
        assertThat(fingerprints.of(PolicyFixtures.devIdentity("agent-7", Map.of("role", "reader"))))
                .isNotEqualTo(fingerprints.of(PolicyFixtures.devIdentity("agent-7", Map.of("role", "dba"))));
    }

    @Test
    void theSameSubjectFromAnotherIssuerHasAnotherFingerprint() {
        Identity dev = PolicyFixtures.devIdentity("agent-7", Map.of());
        Identity other = new Identity("https://idp.example.com", "agent-7", dev.claims(), dev.expiresAt());
        assertThat(fingerprints.of(dev)).isNotEqualTo(fingerprints.of(other));
    }

    @Test
    void aNewTokenWithTheSameClaimsButOtherExpiryAndIdHasTheSameFingerprint() {
        Identity first =
                PolicyFixtures.devIdentity("agent-7", Map.of("role", "reader", "jti", "a", "iat", 1, "nbf", 1));
        Identity renewed = new Identity(
                first.issuer(),
                first.subject(),
                Map.of(
                        "iss",
                        "agentgate-dev",
                        "sub",
                        "agent-7",
                        "aud",
                        "agentgate",
                        "role",
                        "reader",
                        "jti",
                        "b",
                        "iat",
                        2,
                        "nbf",
                        2,
                        "exp",
                        99),
                Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(fingerprints.of(renewed)).isEqualTo(fingerprints.of(first));
    }

    @Test
    void claimOrderDoesNotMatter() {
        Identity one = new Identity("i", "s", Map.of("a", "1", "b", "2"), Instant.EPOCH);
        java.util.LinkedHashMap<String, Object> reversed = new java.util.LinkedHashMap<>();
        reversed.put("b", "2");
        reversed.put("a", "1");
        assertThat(fingerprints.of(new Identity("i", "s", reversed, Instant.EPOCH)))
                .isEqualTo(fingerprints.of(one));
    }
}
