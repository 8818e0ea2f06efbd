package dev.agentgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.DevIssuerConfig;
import dev.agentgate.config.IdentityConfig;
import dev.agentgate.identity.Identity;
import dev.agentgate.identity.JwtTokenValidator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DevCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void mintsATokenThatTheGatewayAcceptsInDevMode() throws Exception {
        Path key = dir.resolve("dev.jwk.json");
        assertThat(run("dev", "keygen", "--out", key.toString())).isZero();
        assertThat(out.toString().strip()).isEqualTo(key.toString());
        out.getBuffer().setLength(0);

        int exitCode = run(
                "dev",
                "token",
                "--key",
                key.toString(),
                "--sub",
                "alice",
                "--ttl",
                "15m",
                "--claim",
                "team=payments",
                "--claim",
                "level=3",
                "--claim",
                "admin=false",
                "--claim",
                "groups=a,b",
                "--claim-json",
                "repos=[\"app\",\"lib\"]");

        assertThat(exitCode).isZero();
        Identity identity = validate(out.toString().strip(), key);
        assertThat(identity.issuer()).isEqualTo("agentgate-dev");
        assertThat(identity.subject()).isEqualTo("alice");
        assertThat(identity.expiresAt())
                .isBetween(Instant.now().plusSeconds(14 * 60), Instant.now().plusSeconds(15 * 60));
        assertThat(identity.claims())
                .containsEntry("aud", "agentgate")
                .containsEntry("team", "payments")
                .containsEntry("level", 3L)
                .containsEntry("admin", false)
                .containsEntry("groups", "a,b")
                .containsEntry("repos", List.of("app", "lib"));
    }

    @Test
    void keygenRefusesToOverwriteAnExistingFile() throws Exception {
        Path key = dir.resolve("dev.jwk.json");
        Files.writeString(key, "precious");

        assertThat(run("dev", "keygen", "--out", key.toString())).isEqualTo(DevCommand.EXIT_KEY_FILE_ERROR);
        assertThat(err.toString()).contains("already exists, not overwriting a key");
        assertThat(Files.readString(key)).isEqualTo("precious");
    }

    @Test
    void tokenReportsAMissingKeyFile() {
        Path missing = dir.resolve("missing.jwk.json");

        assertThat(run("dev", "token", "--key", missing.toString(), "--sub", "alice"))
                .isEqualTo(DevCommand.EXIT_KEY_FILE_ERROR);
        assertThat(err.toString()).contains("token: cannot use key " + missing);
    }

    @Test
    void tokenRejectsATtlThatIsNotADuration() {
        assertThat(tokenForAlice("--ttl", "soon")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--ttl").contains("must be a duration like");
    }

    @Test
    void tokenRejectsAClaimThatOverridesTheSubject() {
        assertThat(tokenForAlice("--claim", "sub=root")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("claim 'sub' is set by the dev issuer itself");
    }

    @Test
    void tokenRejectsClaimJsonThatIsNotJson() {
        assertThat(tokenForAlice("--claim-json", "repos=[app")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--claim-json repos: not JSON");
    }

    @Test
    void ssoHelpSaysItIsForDevelopmentOnlySignsEveryoneInAndListensOnLoopbackOnly() {
        assertThat(run("dev", "sso", "--help")).isZero();

        assertThat(out.toString())
                .contains("DEVELOPMENT ONLY")
                .contains("WITHOUT ASKING FOR A PASSWORD")
                .contains("listens on 127.0.0.1 only");
    }

    @Test
    void ssoRefusesToStartWithoutItsClientSecretFile() {
        Path key = dir.resolve("sso.jwk.json");
        run("dev", "keygen", "--out", key.toString());

        int exitCode = run(
                "dev",
                "sso",
                "--key",
                key.toString(),
                "--port",
                "0",
                "--client-secret-file",
                dir.resolve("missing-secret").toString(),
                "--redirect-uri",
                "http://127.0.0.1:19090/approve/callback");

        assertThat(exitCode).isEqualTo(DevCommand.EXIT_KEY_FILE_ERROR);
        assertThat(err.toString()).contains("missing-secret");
    }

    @Test
    void readsClaimValuesAsBooleansNumbersOrStrings() {
        assertThat(DevClaimOptions.scalar("true")).isEqualTo(true);
        assertThat(DevClaimOptions.scalar("-42")).isEqualTo(-42L);
        assertThat(DevClaimOptions.scalar("1.5")).isEqualTo(1.5);
        assertThat(DevClaimOptions.scalar("007")).isEqualTo("007");
        assertThat(DevClaimOptions.scalar("TRUE")).isEqualTo("TRUE");
    }

    /** Runs {@code dev token --sub alice} with a fresh key and the given further arguments. */
    private int tokenForAlice(String... moreArgs) {
        Path key = dir.resolve("alice.jwk.json");
        run("dev", "keygen", "--out", key.toString());
        List<String> args = new ArrayList<>(List.of("dev", "token", "--key", key.toString(), "--sub", "alice"));
        args.addAll(List.of(moreArgs));
        return run(args.toArray(String[]::new));
    }

    private int run(String... args) {
        CommandLine commandLine = AgentgateCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static Identity validate(String token, Path key) throws Exception {
        IdentityConfig config =
                new IdentityConfig(Duration.ofSeconds(60), List.of(), new DevIssuerConfig(key, List.of("agentgate")));
        try (JwtTokenValidator validator = JwtTokenValidator.create(config, true)) {
            return validator.validate(token).get(5, TimeUnit.SECONDS);
        }
    }
}
