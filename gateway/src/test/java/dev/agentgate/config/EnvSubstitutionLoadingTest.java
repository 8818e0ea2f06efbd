package dev.agentgate.config;

import static dev.agentgate.config.ConfigFixture.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ${NAME} and ${NAME:-default} in config values. */
class EnvSubstitutionLoadingTest {
    @TempDir
    Path dir;

    private ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(
                dir,
                Map.of(
                        "APPDB_PASSWORD", "from-env",
                        "APPDB_PORT", "3399",
                        "EMPTY", "",
                        "AUDIENCE", "agents",
                        "TRICKY", "x\nlisten:\n  port: 1"));
    }

    private TargetConfig appdbWith(String extraLines) {
        return fixture.load(ISSUER + "targets:\n  appdb:\n    host: h\n    user: u\n" + extraLines)
                .target("appdb")
                .orElseThrow();
    }

    @Test
    void substitutesAVariableInAString() {
        assertThat(appdbWith("    password: ${APPDB_PASSWORD}\n").password()).isEqualTo("from-env");
    }

    @Test
    void substitutesAVariableInsideLongerText() {
        assertThat(appdbWith("    password: pre-${APPDB_PASSWORD}-post\n").password())
                .isEqualTo("pre-from-env-post");
    }

    @Test
    void substitutesAVariableInANumber() {
        assertThat(appdbWith("    password: p\n    port: ${APPDB_PORT}\n").port())
                .isEqualTo(3399);
    }

    @Test
    void usesTheDefaultWhenTheVariableIsUnset() {
        assertThat(appdbWith("    password: p\n    port: ${UNSET_PORT:-3401}\n").port())
                .isEqualTo(3401);
    }

    @Test
    void usesTheDefaultWhenTheVariableIsEmpty() {
        assertThat(appdbWith("    password: ${EMPTY:-fallback}\n").password()).isEqualTo("fallback");
    }

    @Test
    void treatsAnEmptyDefaultAsAbsentForOptionalKeys() {
        assertThat(appdbWith("    password: p\n    database: ${UNSET_DB:-}\n").database())
                .isNull();
    }

    @Test
    void keepsALiteralDollarBraceWrittenDoubled() {
        assertThat(appdbWith("    password: a$${b}\n").password()).isEqualTo("a${b}");
    }

    @Test
    void insertsAValueVerbatimWithoutParsingItAsYaml() {
        assertThat(appdbWith("    password: ${TRICKY}\n").password()).isEqualTo("x\nlisten:\n  port: 1");
    }

    @Test
    void substitutesInsideListElements() {
        GatewayConfig config = fixture.load("""
        identity:
          issuers:
            - issuer: https://issuer.example.com
              audiences: ["${AUDIENCE}"]
        targets:
          appdb: {host: h, user: u, password: p}
        """);

        assertThat(config.identity().issuers().get(0).audiences()).containsExactly("agents");
    }

    @Test
    void rejectsAnUnsetVariableWithoutDefaultNamingKeyAndVariable() {
        fixture.assertRejected(
                ISSUER + "targets:\n  appdb:\n    host: h\n    user: u\n" + "    password: ${DB_SECRET}\n",
                "targets.appdb.password: environment variable DB_SECRET is not set "
                        + "(write ${DB_SECRET:-default} for a default)");
    }

    @Test
    void rejectsAnUnsetVariableInAListNamingTheElement() {
        fixture.assertRejected(
                """
            identity:
              issuers:
                - issuer: https://issuer.example.com
                  audiences: [ok, "${NO_AUDIENCE}"]
            """,
                "identity.issuers[0].audiences[1]: environment variable NO_AUDIENCE is not set "
                        + "(write ${NO_AUDIENCE:-default} for a default)");
    }

    @Test
    void rejectsAMalformedReference() {
        fixture.assertRejected(
                ISSUER + "targets:\n  appdb:\n    host: ${1HOST}\n",
                "targets.appdb.host: malformed variable reference: expected ${NAME} or ${NAME:-default}");
    }
}
