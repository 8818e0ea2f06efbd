package dev.agentgate.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevIssuerTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @TempDir
    Path dir;

    private final DevIssuer issuer = new DevIssuer(DevIssuer.generateKey(), new MutableClock(NOW));

    @Test
    void generatesAPrivateP256KeyWithAKeyId() {
        ECKey key = DevIssuer.generateKey();

        assertThat(key.isPrivate()).isTrue();
        assertThat(key.getCurve()).isEqualTo(Curve.P_256);
        assertThat(key.getKeyID()).isNotBlank();
    }

    @Test
    void writesTheKeyFileReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("keys/dev.jwk.json");

        DevIssuer.writeKeyFile(DevIssuer.generateKey(), file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void readsBackTheKeyItWrote() throws Exception {
        ECKey key = DevIssuer.generateKey();
        Path file = dir.resolve("dev.jwk.json");
        DevIssuer.writeKeyFile(key, file);

        assertThat(DevIssuer.readKeyFile(file)).isEqualTo(key);
    }

    @Test
    void neverOverwritesAnExistingKeyFile() throws Exception {
        Path file = dir.resolve("dev.jwk.json");
        Files.writeString(file, "precious");

        assertThatThrownBy(() -> DevIssuer.writeKeyFile(DevIssuer.generateKey(), file))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("precious");
    }

    @Test
    void refusesAKeyFileWithoutAPrivateKey() throws Exception {
        Path file = dir.resolve("public.jwk.json");
        Files.writeString(file, DevIssuer.generateKey().toPublicJWK().toJSONString());

        assertThatThrownBy(() -> DevIssuer.readKeyFile(file))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a private EC JWK");
    }

    @Test
    void mintsAnEs256TokenWithIssuerAudienceLifetimeAndExtraClaims() throws Exception {
        String token = issuer.mint("alice", "agentgate", Duration.ofHours(1), Map.of("groups", List.of("dev")));

        SignedJWT jwt = SignedJWT.parse(token);
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(jwt.verify(new ECDSAVerifier(issuer.publicKey()))).isTrue();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(issuer.publicKey().getKeyID());
        assertThat(claims.getIssuer()).isEqualTo("agentgate-dev");
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getAudience()).containsExactly("agentgate");
        assertThat(claims.getIssueTime()).isEqualTo(Date.from(NOW));
        assertThat(claims.getNotBeforeTime()).isEqualTo(Date.from(NOW));
        assertThat(claims.getExpirationTime()).isEqualTo(Date.from(NOW.plus(Duration.ofHours(1))));
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getClaim("groups")).isEqualTo(List.of("dev"));
    }

    @Test
    void refusesAnExtraClaimThatWouldOverrideARegisteredOne() {
        assertThatThrownBy(() -> issuer.mint("alice", "agentgate", Duration.ofHours(1), Map.of("sub", "root")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("claim 'sub' is set by the dev issuer itself");
    }

    @Test
    void refusesANonPositiveLifetime() {
        assertThatThrownBy(() -> issuer.mint("alice", "agentgate", Duration.ZERO, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ttl must be a positive duration, was PT0S");
    }

    @Test
    void neverPutsThePrivateKeyIntoItsPublicKey() {
        assertThat(issuer.publicKey().isPrivate()).isFalse();
    }
}
