package dev.agentgate.config;

import static dev.agentgate.config.ConfigFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity section: trusted issuers and the dev issuer. */
class IdentitySectionLoadingTest {
    private static final String ALLOWED =
            "(allowed: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA)";

    @TempDir
    Path dir;

    private ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(dir);
    }

    /** A config with one issuer whose mapping ends with {@code issuerLines} (indented 6 spaces). */
    private String withIssuer(String issuerLines) {
        return TARGET + "identity:\n  issuers:\n    - audiences: [agentgate]\n" + issuerLines;
    }

    @Test
    void readsEveryIssuerKey() {
        GatewayConfig config = fixture.load(TARGET + """
        identity:
          clock_skew: 0s
          issuers:
            - issuer: https://token.actions.githubusercontent.com
              audiences: [agentgate, other]
              jwks_uri: https://token.actions.githubusercontent.com/.well-known/jwks
              algorithms: [RS256, EdDSA]
              required_claims: [sub, repository]
        """);

        assertThat(config.identity())
                .isEqualTo(new IdentityConfig(
                        Duration.ZERO,
                        List.of(new IssuerConfig(
                                "https://token.actions.githubusercontent.com",
                                List.of("agentgate", "other"),
                                URI.create("https://token.actions.githubusercontent.com/.well-known/jwks"),
                                List.of("RS256", "EdDSA"),
                                List.of("sub", "repository"))),
                        null));
    }

    @Test
    void appliesDefaultsToOmittedIssuerKeys() {
        GatewayConfig config = fixture.load(withIssuer("      issuer: https://issuer.example.com\n"));

        assertThat(config.identity())
                .isEqualTo(new IdentityConfig(
                        Duration.ofSeconds(60),
                        List.of(new IssuerConfig(
                                "https://issuer.example.com",
                                List.of("agentgate"),
                                null,
                                List.of("RS256", "PS256", "ES256"),
                                List.of("sub"))),
                        null));
    }

    @Test
    void rejectsAPlainHttpIssuerOnANonLoopbackHost() {
        fixture.assertRejected(
                withIssuer("      issuer: http://issuer.example.com\n"),
                "identity.issuers[0].issuer: must be an https URL (http only for localhost or 127.0.0.1), "
                        + "was 'http://issuer.example.com'");
    }

    @Test
    void acceptsAPlainHttpIssuerOnLoopbackForTests() {
        GatewayConfig config = fixture.load(withIssuer(
                "      issuer: http://127.0.0.1:8443/oidc\n" + "      jwks_uri: http://localhost:8443/jwks\n"));

        assertThat(config.identity().issuers().get(0).jwksUri()).isEqualTo(URI.create("http://localhost:8443/jwks"));
    }

    @Test
    void rejectsAPlainHttpJwksUri() {
        fixture.assertRejected(
                withIssuer("      issuer: https://issuer.example.com\n"
                        + "      jwks_uri: http://keys.example.com/jwks\n"),
                "identity.issuers[0].jwks_uri: must be an https URL (http only for localhost or 127.0.0.1), "
                        + "was 'http://keys.example.com/jwks'");
    }

    @Test
    void rejectsAnIssuerThatIsNotAUrl() {
        fixture.assertRejected(
                withIssuer("      issuer: 'https://bad host'\n"),
                "identity.issuers[0].issuer: must be a URL, was 'https://bad host'");
    }

    @Test
    void rejectsAnIssuerWithoutIssuerUrl() {
        fixture.assertRejected(withIssuer(""), "identity.issuers[0].issuer: is required");
    }

    @Test
    void rejectsAnIssuerWithoutAudiences() {
        fixture.assertRejected(
                TARGET + "identity:\n  issuers:\n    - issuer: https://issuer.example.com\n",
                "identity.issuers[0].audiences: is required");
    }

    @Test
    void rejectsAnAudienceGivenAsSingleValueInsteadOfAList() {
        fixture.assertRejected(
                TARGET + "identity:\n  issuers:\n"
                        + "    - issuer: https://issuer.example.com\n      audiences: agentgate\n",
                "identity.issuers[0].audiences: must be a list, e.g. [agentgate]");
    }

    @Test
    void rejectsHmacAlgorithms() {
        fixture.assertRejected(
                withIssuer("      issuer: https://issuer.example.com\n" + "      algorithms: [RS256, HS256]\n"),
                "identity.issuers[0].algorithms: 'HS256' is not allowed " + ALLOWED);
    }

    @Test
    void rejectsTheNoneAlgorithm() {
        fixture.assertRejected(
                withIssuer("      issuer: https://issuer.example.com\n" + "      algorithms: [none]\n"),
                "identity.issuers[0].algorithms: 'none' is not allowed " + ALLOWED);
    }

    @Test
    void rejectsAnEmptyAlgorithmList() {
        fixture.assertRejected(
                withIssuer("      issuer: https://issuer.example.com\n" + "      algorithms: []\n"),
                "identity.issuers[0].algorithms: must not be empty");
    }

    @Test
    void rejectsTheSameIssuerTwice() {
        fixture.assertRejected(
                withIssuer("      issuer: https://issuer.example.com\n"
                        + "    - issuer: https://issuer.example.com\n      audiences: [x]\n"),
                "identity.issuers[1].issuer: duplicate issuer 'https://issuer.example.com'");
    }

    @Test
    void readsTheKeysOutageToleranceAndTheMaximumTokenLifetime() {
        GatewayConfig config = fixture.load(TARGET + """
        identity:
          keys_outage_tolerance: 6h
          max_token_lifetime: 1h
          issuers:
            - issuer: https://token.actions.githubusercontent.com
              audiences: [agentgate]
        """);

        assertThat(config.identity().keysOutageTolerance()).isEqualTo(Duration.ofHours(6));
        assertThat(config.identity().maxTokenLifetime()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void readsHowLongFetchedKeysAreCached() {
        GatewayConfig config = fixture.load(TARGET + """
        identity:
          keys_cache_ttl: 30s
          issuers:
            - issuer: https://token.actions.githubusercontent.com
              audiences: [agentgate]
        """);

        assertThat(config.identity().keysCacheTtl()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void rejectsAKeyCacheTooShortToRefreshAheadOfItsExpiry() {
        fixture.assertRejected(TARGET + """
                identity:
                  keys_cache_ttl: 14s
                  issuers:
                    - issuer: https://token.actions.githubusercontent.com
                      audiences: [agentgate]
                """, "identity.keys_cache_ttl: must be at least 15s");
    }

    @Test
    void servesLastKnownKeysForAnHourAndSetsNoMaximumTokenLifetimeByDefault() {
        GatewayConfig config = fixture.load(TARGET + """
        identity:
          issuers:
            - issuer: https://token.actions.githubusercontent.com
              audiences: [agentgate]
        """);

        assertThat(config.identity().keysOutageTolerance()).isEqualTo(Duration.ofHours(1));
        assertThat(config.identity().maxTokenLifetime()).isNull();
        assertThat(config.identity().keysCacheTtl()).isNull();
    }

    @Test
    void rejectsAConfigWithNeitherIssuersNorDevIssuer() {
        fixture.assertRejected(
                TARGET + "identity:\n  clock_skew: 5s\n",
                "identity: at least one of issuers or dev_issuer is required");
    }

    @Test
    void rejectsTheDevIssuerOutsideDevMode() {
        fixture.assertRejected(
                TARGET + "identity:\n  dev_issuer:\n    key_file: dev.jwk.json\n",
                "identity.dev_issuer: only allowed with dev_mode: true");
    }

    @Test
    void readsTheDevIssuerInDevModeWithItsKeyFileRelativeToTheConfig() {
        GatewayConfig config =
                fixture.load(TARGET + "dev_mode: true\nidentity:\n  dev_issuer:\n    key_file: dev/issuer.jwk.json\n");

        assertThat(config.identity().devIssuer())
                .isEqualTo(new DevIssuerConfig(dir.resolve("dev/issuer.jwk.json"), List.of("agentgate")));
    }

    @Test
    void rejectsADevIssuerWithoutKeyFile() {
        fixture.assertRejected(
                TARGET + "dev_mode: true\nidentity:\n  dev_issuer:\n    audiences: [agentgate]\n",
                "identity.dev_issuer.key_file: is required");
    }
}
