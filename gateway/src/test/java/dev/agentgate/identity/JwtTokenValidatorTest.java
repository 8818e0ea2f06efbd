package dev.agentgate.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.agentgate.config.IdentityConfig;
import dev.agentgate.config.IssuerConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JwtTokenValidatorTest {
    private static final RSAKey RSA = TestTokens.rsaKey("rsa-1");
    private static final ECKey EC = TestTokens.ecKey("ec-1");
    private static final List<String> ALGORITHMS = List.of("RS256", "PS256", "ES256");

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private JwksServer issuerServer;
    private JwtTokenValidator validator;

    @BeforeEach
    void startIssuer() throws Exception {
        issuerServer = new JwksServer();
        issuerServer.publish(RSA, EC);
    }

    @AfterEach
    void stop() {
        if (validator != null) {
            validator.close();
        }
        issuerServer.close();
    }

    @Test
    void acceptsAValidRs256TokenWithAllItsClaims() throws Exception {
        trust(issuerConfig(List.of("sub")));
        JWTClaimsSet claims = claims().claim("repository", "acme/app")
                .claim("groups", List.of("a", "b"))
                .build();

        Identity identity = accepted(rs256(claims));

        assertThat(identity.issuer()).isEqualTo(issuerServer.issuer());
        assertThat(identity.subject()).isEqualTo("repo:acme/app:ref:refs/heads/main");
        assertThat(identity.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(identity.claims())
                .containsEntry("repository", "acme/app")
                .containsEntry("groups", List.of("a", "b"))
                .containsEntry("aud", "agentgate")
                .containsEntry(
                        "exp", clock.instant().plus(Duration.ofMinutes(5)).getEpochSecond())
                .containsKeys("iss", "sub", "iat", "nbf");
    }

    @Test
    void acceptsAValidPs256Token() throws Exception {
        trust(issuerConfig(List.of("sub")));

        Identity identity = accepted(TestTokens.sign(RSA, JWSAlgorithm.PS256, claims().build()));

        assertThat(identity.subject()).isEqualTo("repo:acme/app:ref:refs/heads/main");
    }

    @Test
    void acceptsAValidEs256Token() throws Exception {
        trust(issuerConfig(List.of("sub")));

        Identity identity = accepted(TestTokens.sign(EC, JWSAlgorithm.ES256, claims().build()));

        assertThat(identity.subject()).isEqualTo("repo:acme/app:ref:refs/heads/main");
    }

    @Test
    void rejectsAnExpiredToken() {
        trust(issuerConfig(List.of("sub")));
        String token = rs256(claims().expirationTime(secondsFromNow(-61)).build());

        assertThat(rejectionOf(token)).hasMessage("token expired");
    }

    @Test
    void acceptsATokenThatExpiredWithinTheClockSkew() throws Exception {
        trust(issuerConfig(List.of("sub")));
        String token = rs256(claims().expirationTime(secondsFromNow(-30)).build());

        assertThat(accepted(token).subject()).isNotBlank();
    }

    @Test
    void rejectsATokenThatIsNotYetValid() {
        trust(issuerConfig(List.of("sub")));
        String token = rs256(claims().notBeforeTime(secondsFromNow(120)).build());

        assertThat(rejectionOf(token)).hasMessage("token not yet valid");
    }

    @Test
    void rejectsATokenWhoseAudienceIsWrong() {
        trust(issuerConfig(List.of("sub")));
        String token = rs256(claims().audience("some-other-service").build());

        assertThat(rejectionOf(token)).hasMessage("audience not accepted");
    }

    @Test
    void rejectsATokenOfAnUntrustedIssuerWithoutAnyNetworkCall() {
        trust(issuerConfig(List.of("sub")));
        String token = rs256(claims().issuer("https://evil.example.com").build());

        TokenRejectedException rejection = rejectionOf(token);

        assertThat(rejection).hasMessage("issuer not trusted");
        assertThat(rejection.detail()).contains("https://evil.example.com");
        assertThat(issuerServer.requestCount()).isZero();
    }

    @Test
    void rejectsATokenWhosePayloadWasAlteredAfterSigning() {
        trust(issuerConfig(List.of("sub")));
        String[] parts = rs256(claims().build()).split("\\.");
        String forgedPayload =
                Base64URL.encode(claims().subject("admin").build().toString()).toString();

        assertThat(rejectionOf(parts[0] + "." + forgedPayload + "." + parts[2])).hasMessage("signature invalid");
    }

    @Test
    void rejectsAnUnsecuredTokenWithAlgNone() {
        trust(issuerConfig(List.of("sub")));

        assertThat(rejectionOf(new PlainJWT(claims().build()).serialize())).hasMessage("algorithm not allowed");
    }

    @Test
    void rejectsAnHs256TokenWhoseHmacKeyIsTheIssuersRsaPublicKey() throws JOSEException {
        trust(issuerConfig(List.of("sub")));
        JWSHeader header =
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build();
        SignedJWT forged = new SignedJWT(header, claims().build());
        forged.sign(new MACSigner(RSA.toRSAPublicKey().getEncoded()));

        assertThat(rejectionOf(forged.serialize())).hasMessage("algorithm not allowed");
    }

    @Test
    void rejectsAnEncryptedToken() throws JOSEException {
        trust(issuerConfig(List.of("sub")));
        JWEHeader header = new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM);
        EncryptedJWT encrypted = new EncryptedJWT(header, claims().build());
        encrypted.encrypt(new RSAEncrypter(RSA));

        assertThat(rejectionOf(encrypted.serialize())).hasMessage("algorithm not allowed");
    }

    @Test
    void rejectsAnAlgorithmTheIssuerIsNotConfiguredFor() {
        trust(new IssuerConfig(
                issuerServer.issuer(), List.of("agentgate"), issuerServer.jwksUri(), List.of("RS256"), List.of("sub")));

        assertThat(rejectionOf(TestTokens.sign(EC, JWSAlgorithm.ES256, claims().build())))
                .hasMessage("algorithm not allowed");
    }

    @Test
    void rejectsATokenSignedWithAKeyTheIssuerDoesNotPublish() {
        trust(issuerConfig(List.of("sub")));
        String token = TestTokens.sign(TestTokens.rsaKey("rsa-unknown"), JWSAlgorithm.RS256, claims().build());

        assertThat(rejectionOf(token)).hasMessage("unknown signing key");
    }

    @Test
    void picksUpAKeyRotatedIntoTheJwksWithoutARestart() throws Exception {
        trust(issuerConfig(List.of("sub")));
        accepted(rs256(claims().build()));
        RSAKey rotatedIn = TestTokens.rsaKey("rsa-2");
        issuerServer.publish(RSA, EC, rotatedIn);

        Identity identity = accepted(TestTokens.sign(rotatedIn, JWSAlgorithm.RS256, claims().build()));

        assertThat(identity.subject()).isNotBlank();
    }

    @Test
    void rejectsATokenMissingAClaimTheIssuerRequires() {
        trust(issuerConfig(List.of("sub", "repository")));

        assertThat(rejectionOf(rs256(claims().build()))).hasMessage("missing required claim 'repository'");
    }

    @Test
    void rejectsATokenWithoutSubjectEvenIfTheIssuerDoesNotListIt() {
        trust(issuerConfig(List.of()));

        assertThat(rejectionOf(rs256(claims().subject(null).build()))).hasMessage("missing required claim 'sub'");
    }

    @Test
    void rejectsGarbageAsMalformed() {
        trust(issuerConfig(List.of("sub")));

        assertThat(rejectionOf("not-a-token")).hasMessage("malformed token");
    }

    @Test
    void rejectsATokenOfTwoPartsAsMalformed() {
        trust(issuerConfig(List.of("sub")));
        String[] parts = rs256(claims().build()).split("\\.");

        assertThat(rejectionOf(parts[0] + "." + parts[1])).hasMessage("malformed token");
    }

    @Test
    void rejectsATokenOfAnUnacceptedType() throws JOSEException {
        trust(issuerConfig(List.of("sub")));
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("rsa-1")
                .type(new JOSEObjectType("dpop+jwt"))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims().build());
        jwt.sign(new RSASSASigner(RSA));

        assertThat(rejectionOf(jwt.serialize())).hasMessage("token type not accepted");
    }

    @Test
    void findsTheKeysThroughOidcDiscoveryOnFirstUse() throws Exception {
        trust(issuerConfig(issuerServer.issuer(), null));
        assertThat(issuerServer.requestCount()).isZero();

        assertThat(accepted(rs256(claims().build())).subject()).isNotBlank();
        assertThat(issuerServer.requestCount()).isEqualTo(2);
    }

    @Test
    void fetchesTheJwksAtMostTwicePerRefetchIntervalWhateverKidsClientsSend() {
        trust(issuerConfig(List.of("sub")));

        for (int i = 0; i < 5; i++) {
            String token = TestTokens.sign(TestTokens.ecKey("random-" + i), JWSAlgorithm.ES256, claims().build());
            assertThat(rejectionOf(token)).hasMessage("unknown signing key");
        }
        assertThat(issuerServer.requestCount()).isEqualTo(2);
    }

    @Test
    void acceptsAFreshlyRotatedKeyWithinSecondsEvenWhenUnknownKidsUsedUpTheRefetches() throws Exception {
        trust(issuerConfig(List.of("sub")));
        accepted(rs256(claims().build()));
        rejectionOf(TestTokens.sign(TestTokens.ecKey("random"), JWSAlgorithm.ES256, claims().build()));
        RSAKey rotatedIn = TestTokens.rsaKey("rsa-2");
        issuerServer.publish(RSA, EC, rotatedIn);
        String token = TestTokens.sign(rotatedIn, JWSAlgorithm.RS256, claims().build());
        long start = System.nanoTime();

        while (validator
                .validate(token)
                .handle((identity, error) -> identity == null)
                .get(5, TimeUnit.SECONDS)) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(7));
            Thread.sleep(200);
        }
    }

    @Test
    void keepsUsingTheLastKnownKeysWhileTheJwksCannotBeFetchedAndCountsEachUse() throws Exception {
        java.util.concurrent.atomic.AtomicInteger staleUses = new java.util.concurrent.atomic.AtomicInteger();
        trust(
                issuerConfig(List.of("sub")),
                options()
                        .withJwksTimings(Duration.ofMillis(2500), Duration.ofMillis(100))
                        .withStaleKeysListener(staleUses::incrementAndGet));
        accepted(rs256(claims().build()));
        issuerServer.failWith(503);
        Thread.sleep(3000);

        assertThat(accepted(rs256(claims().build())).subject()).isNotBlank();
        assertThat(staleUses).hasPositiveValue();
    }

    @Test
    void refusesOnceTheJwksHasBeenUnreachableForLongerThanTheOutageTolerance() throws Exception {
        validator = JwtTokenValidator.create(
                new IdentityConfig(
                        Duration.ofSeconds(60),
                        List.of(issuerConfig(List.of("sub"))),
                        null,
                        Duration.ofMillis(1000),
                        null),
                false,
                options().withJwksTimings(Duration.ofMillis(2500), Duration.ofMillis(100)));
        accepted(rs256(claims().build()));
        issuerServer.failWith(503);
        Thread.sleep(3500);

        assertThat(rejectionOf(rs256(claims().build()))).hasMessage("issuer signing keys unavailable");
    }

    @Test
    void anIssuerThatHangsDoesNotDelayTheTokensOfAnother() throws Exception {
        Duration patient = Duration.ofSeconds(5);
        try (JwksServer other = new JwksServer()) {
            other.publish(RSA);
            IssuerConfig hanging = issuerConfig(List.of("sub"));
            IssuerConfig healthy =
                    new IssuerConfig(other.issuer(), List.of("agentgate"), other.jwksUri(), ALGORITHMS, List.of("sub"));
            validator = JwtTokenValidator.create(
                    new IdentityConfig(Duration.ofSeconds(60), List.of(hanging, healthy), null),
                    false,
                    options().withHttpTimeouts(patient, patient));
            issuerServer.stall(4_000);
            for (int i = 0; i < 8; i++) {
                validator.validate(rs256(claims().build()));
            }
            long start = System.nanoTime();

            accepted(rs256(TestTokens.claims(other.issuer(), clock.instant()).build()));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void refusesATokenValidForLongerThanTheMaximumLifetime() {
        trustWithMaxLifetime(Duration.ofHours(1));
        String token = rs256(claims().expirationTime(secondsFromNow(2 * 3600)).build());

        assertThat(rejectionOf(token)).hasMessage("token lifetime longer than identity.max_token_lifetime allows");
    }

    @Test
    void acceptsATokenWithinTheMaximumLifetime() throws Exception {
        trustWithMaxLifetime(Duration.ofHours(1));

        assertThat(accepted(rs256(claims().build())).subject()).isNotBlank();
    }

    @Test
    void requiresAnIssueTimeWhenAMaximumLifetimeIsConfigured() {
        trustWithMaxLifetime(Duration.ofHours(1));

        assertThat(rejectionOf(rs256(claims().issueTime(null).build()))).hasMessage("missing required claim 'iat'");
    }

    private void trustWithMaxLifetime(Duration maxLifetime) {
        validator = JwtTokenValidator.create(
                new IdentityConfig(
                        Duration.ofSeconds(60),
                        List.of(issuerConfig(List.of("sub"))),
                        null,
                        IdentityConfig.DEFAULT_KEYS_OUTAGE_TOLERANCE,
                        maxLifetime),
                false,
                options());
    }

    @Test
    void refusesKeysFromADiscoveryDocumentThatNamesAnotherIssuer() {
        String issuerWithSlash = issuerServer.issuer() + "/";
        trust(issuerConfig(issuerWithSlash, null));

        TokenRejectedException rejection =
                rejectionOf(rs256(claims().issuer(issuerWithSlash).build()));

        assertThat(rejection).hasMessage("issuer signing keys unavailable");
        assertThat(rejection.detail()).contains("names issuer " + issuerServer.issuer() + ", expected");
    }

    @Test
    void keepsReportingUnavailableKeysWhileRetriesOfADownJwksEndpointAreRateLimited() throws Exception {
        trustAnIssuerWhoseJwksEndpointIsDown();

        for (int i = 0; i < 3; i++) {
            assertThat(rejectionOf(rs256(claims().build()))).hasMessage("issuer signing keys unavailable");
        }
    }

    @Test
    void rejectsWithAClearMessageWhenTheJwksEndpointIsDown() throws Exception {
        URI deadJwksUri = trustAnIssuerWhoseJwksEndpointIsDown();

        TokenRejectedException rejection = rejectionOf(rs256(claims().build()));

        assertThat(rejection).hasMessage("issuer signing keys unavailable");
        assertThat(rejection.detail()).contains(deadJwksUri.toString());
    }

    @Test
    void givesUpOnAJwksEndpointThatDoesNotAnswerWithinTheReadTimeout() {
        trust(issuerConfig(List.of("sub")));
        issuerServer.stall(10_000);

        CompletableFuture<Identity> result = validator.validate(rs256(claims().build()));

        assertThat(result)
                .failsWithin(Duration.ofSeconds(4))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(TokenRejectedException.class)
                .withMessageContaining("issuer signing keys unavailable");
    }

    @Test
    void returnsAPendingResultWithoutBlockingTheCallerWhileKeysAreFetched() {
        Duration patient = Duration.ofSeconds(5);
        trust(issuerConfig(List.of("sub")), options().withHttpTimeouts(patient, patient));
        issuerServer.stall(3_000);

        CompletableFuture<Identity> result = validator.validate(rs256(claims().build()));

        // Had validate() waited for the stalled JWKS fetch, the result would be complete by now.
        assertThat(result).isNotDone();
        assertThat(result).succeedsWithin(Duration.ofSeconds(8));
    }

    @Test
    void refusesToTrustAnIssuerConfiguredWithAnHmacAlgorithm() {
        IssuerConfig hmac = new IssuerConfig(
                issuerServer.issuer(),
                List.of("agentgate"),
                issuerServer.jwksUri(),
                List.of("RS256", "HS256"),
                List.of("sub"));

        assertThatThrownBy(() -> trust(hmac))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("algorithm HS256 is not allowed");
    }

    @Test
    void refusesEdDsaAtStartupBecauseItsVerifierIsNotOnTheClassPath() {
        IssuerConfig eddsa = new IssuerConfig(
                issuerServer.issuer(), List.of("agentgate"), issuerServer.jwksUri(), List.of("EdDSA"), List.of("sub"));

        assertThatThrownBy(() -> trust(eddsa))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("algorithm EdDSA needs Google Tink");
    }

    private static IssuerConfig issuerConfig(String issuer, URI jwksUri) {
        return new IssuerConfig(issuer, List.of("agentgate"), jwksUri, ALGORITHMS, List.of("sub"));
    }

    private IssuerConfig issuerConfig(List<String> requiredClaims) {
        return new IssuerConfig(
                issuerServer.issuer(), List.of("agentgate"), issuerServer.jwksUri(), ALGORITHMS, requiredClaims);
    }

    private URI trustAnIssuerWhoseJwksEndpointIsDown() throws IOException {
        URI deadJwksUri;
        try (JwksServer dead = new JwksServer()) {
            deadJwksUri = dead.jwksUri();
        }
        trust(issuerConfig(issuerServer.issuer(), deadJwksUri));
        return deadJwksUri;
    }

    private ValidatorOptions options() {
        return ValidatorOptions.defaults()
                .withClock(clock)
                .withHttpTimeouts(Duration.ofMillis(500), Duration.ofMillis(500));
    }

    private void trust(IssuerConfig issuer) {
        trust(issuer, options());
    }

    private void trust(IssuerConfig issuer, ValidatorOptions options) {
        validator = JwtTokenValidator.create(
                new IdentityConfig(Duration.ofSeconds(60), List.of(issuer), null), false, options);
    }

    private JWTClaimsSet.Builder claims() {
        return TestTokens.claims(issuerServer.issuer(), clock.instant());
    }

    private Date secondsFromNow(long seconds) {
        return Date.from(clock.instant().plusSeconds(seconds));
    }

    private static String rs256(JWTClaimsSet claims) {
        return TestTokens.sign(RSA, JWSAlgorithm.RS256, claims);
    }

    private Identity accepted(String token) throws Exception {
        return validator.validate(token).get(5, TimeUnit.SECONDS);
    }

    private TokenRejectedException rejectionOf(String token) {
        Throwable thrown = catchThrowable(() -> validator.validate(token).get(5, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class).cause().isInstanceOf(TokenRejectedException.class);
        return (TokenRejectedException) thrown.getCause();
    }
}
