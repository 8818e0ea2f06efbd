package dev.agentgate.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The issuer is itself checked with Nimbus, so that a gateway failure is never a broken test token. */
class OidcIssuerTest {

    private static final OidcIssuer issuer = OidcIssuer.start();

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @Test
    void servesADiscoveryDocumentNamingItselfAndItsJwks() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(issuer.issuer() + "/.well-known/openid-configuration"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("\"issuer\":\"" + issuer.issuer() + "\"")
                .contains("\"jwks_uri\":\"" + issuer.jwksUri() + "\"");
    }

    @Test
    void mintsRsaAndEcTokensThatVerifyAgainstItsJwks() throws Exception {
        assertThat(verify(issuer.valid("alice")).getSubject()).isEqualTo("alice");
        JWTClaimsSet ec = verify(issuer.token("bob").elliptic().mint());
        assertThat(ec.getSubject()).isEqualTo("bob");
        assertThat(ec.getAudience()).containsExactly(OidcIssuer.AUDIENCE);
        assertThat(ec.getStringClaim("repository")).isEqualTo("agentgate/e2e");
    }

    @Test
    void mintsTokensWhoseSignatureOrKeyIsWrong() {
        assertThatThrownBy(() -> verify(issuer.badSignature("alice"))).hasMessageContaining("Signed JWT rejected");
        assertThatThrownBy(() -> verify(issuer.unknownKid("alice"))).hasMessageContaining("no matching key");
    }

    @Test
    void mintsTokensWhoseClaimsAreWrong() throws Exception {
        assertThat(SignedJWT.parse(issuer.expired("a")).getJWTClaimsSet().getExpirationTime())
                .isInThePast();
        assertThat(SignedJWT.parse(issuer.notYetValid("a")).getJWTClaimsSet().getNotBeforeTime())
                .isInTheFuture();
        assertThat(SignedJWT.parse(issuer.wrongAudience("a")).getJWTClaimsSet().getAudience())
                .containsExactly("some-other-service");
        assertThat(SignedJWT.parse(issuer.otherIssuer("a")).getJWTClaimsSet().getIssuer())
                .isEqualTo("https://untrusted-issuer.example.com");
        assertThat(SignedJWT.parse(issuer.missingClaim("a", "repository"))
                        .getJWTClaimsSet()
                        .getClaims())
                .doesNotContainKey("repository")
                .containsKey("sub");
    }

    @Test
    void mintsUnsecuredAndHmacConfusionTokens() throws Exception {
        assertThat(issuer.algNone("a")).endsWith(".");
        assertThat(SignedJWT.parse(issuer.hs256WithRsaPublicKey("a"))
                        .getHeader()
                        .getAlgorithm())
                .isEqualTo(JWSAlgorithm.HS256);
    }

    private static JWTClaimsSet verify(String token) throws Exception {
        JWKSource<SecurityContext> keys =
                JWKSourceBuilder.create(URI.create(issuer.jwksUri()).toURL()).build();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(
                new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        return processor.process(token, null);
    }
}
