package dev.agentgate.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.DevIssuerConfig;
import dev.agentgate.config.IdentityConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the validator trusts tokens of the dev issuer: only in dev mode, and only its configured key. */
class DevIssuerTrustTest {
    @TempDir
    Path dir;

    private Path keyFile;
    private JwtTokenValidator validator;

    @BeforeEach
    void writeKey() throws Exception {
        keyFile = dir.resolve("dev.jwk.json");
        DevIssuer.writeKeyFile(DevIssuer.generateKey(), keyFile);
    }

    @AfterEach
    void closeValidator() {
        if (validator != null) {
            validator.close();
        }
    }

    @Test
    void acceptsADevTokenInDevMode() throws Exception {
        validator = JwtTokenValidator.create(identityConfig(keyFile), true);

        Identity identity = validator.validate(mint(keyFile, "agentgate")).get(5, TimeUnit.SECONDS);

        assertThat(identity.issuer()).isEqualTo("agentgate-dev");
        assertThat(identity.subject()).isEqualTo("alice");
        assertThat(identity.claims()).containsEntry("team", "payments");
    }

    @Test
    void rejectsADevTokenWhenDevModeIsOff() {
        validator = JwtTokenValidator.create(identityConfig(keyFile), false);

        assertThatThrownBy(() -> validator.validate(mint(keyFile, "agentgate")).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .hasMessage("issuer not trusted");
    }

    @Test
    void rejectsATokenOfAnotherDevKey() throws Exception {
        validator = JwtTokenValidator.create(identityConfig(keyFile), true);
        Path otherKey = dir.resolve("other.jwk.json");
        DevIssuer.writeKeyFile(DevIssuer.generateKey(), otherKey);

        assertThatThrownBy(() -> validator.validate(mint(otherKey, "agentgate")).get(5, TimeUnit.SECONDS))
                .cause()
                .hasMessage("unknown signing key");
    }

    @Test
    void rejectsADevTokenForAnotherAudience() {
        validator = JwtTokenValidator.create(identityConfig(keyFile), true);

        assertThatThrownBy(() -> validator.validate(mint(keyFile, "elsewhere")).get(5, TimeUnit.SECONDS))
                .cause()
                .hasMessage("audience not accepted");
    }

    @Test
    void refusesToStartInDevModeWithAnUnreadableKeyFile() {
        Path missing = dir.resolve("missing.jwk.json");

        assertThatThrownBy(() -> JwtTokenValidator.create(identityConfig(missing), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("identity.dev_issuer.key_file: cannot use " + missing);
    }

    private static IdentityConfig identityConfig(Path devKey) {
        return new IdentityConfig(Duration.ofSeconds(60), List.of(), new DevIssuerConfig(devKey, List.of("agentgate")));
    }

    private static String mint(Path key, String audience) throws Exception {
        return DevIssuer.fromKeyFile(key, Clock.systemUTC())
                .mint("alice", audience, Duration.ofMinutes(5), Map.of("team", "payments"));
    }
}
