package dev.agentgate.config;

import static dev.agentgate.config.ConfigFixture.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The targets section. */
class TargetSectionLoadingTest {
    @TempDir
    Path dir;

    private ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(dir);
    }

    /** A config with one target named {@code name} whose mapping is {@code lines} (indented 4). */
    private static String target(String name, String lines) {
        return ISSUER + "targets:\n  " + name + ":\n" + lines;
    }

    private static String appdb(String extraLines) {
        return target("appdb", "    host: db.internal\n    user: svc\n" + extraLines);
    }

    @Test
    void readsEveryTargetKey() {
        fixture.write("ca.pem", "ca");

        GatewayConfig config = fixture.load(appdb("""
            port: 3310
            password: s3cret
            database: app
            connect_timeout: 2s
            tls:
              mode: verify_identity
              ca_file: ca.pem
        """));

        assertThat(config.targets()).containsOnlyKeys("appdb");
        assertThat(config.target("appdb"))
                .contains(new TargetConfig(
                        "appdb",
                        "db.internal",
                        3310,
                        "svc",
                        "s3cret",
                        "app",
                        Duration.ofSeconds(2),
                        new BackendTlsConfig(BackendTlsMode.VERIFY_IDENTITY, dir.resolve("ca.pem"))));
    }

    @Test
    void appliesDefaultsToOmittedTargetKeys() {
        GatewayConfig config = fixture.load(appdb("    password: s3cret\n"));

        assertThat(config.target("appdb")).contains(TargetConfig.of("appdb", "db.internal", 3306, "svc", "s3cret"));
        assertThat(config.target("appdb").orElseThrow().tls().mode()).isEqualTo(BackendTlsMode.PREFERRED);
    }

    @Test
    void rejectsAConfigWithoutTargets() {
        fixture.assertRejected(ISSUER, "targets: at least one target is required");
    }

    @Test
    void rejectsATargetNameThatIsNoValidMysqlUserName() {
        fixture.assertRejected(
                target("'app db'", "    host: h\n    user: u\n    password: p\n"),
                "targets.app db: name must be 1-80 characters of A-Z a-z 0-9 _ . - "
                        + "(it is the MySQL user name clients log in with)");
    }

    @Test
    void rejectsATargetNameLongerThan80Characters() {
        String name = "a".repeat(81);

        fixture.assertRejected(
                target(name, "    host: h\n    user: u\n    password: p\n"),
                "targets." + name + ": name must be 1-80 characters of A-Z a-z 0-9 _ . - "
                        + "(it is the MySQL user name clients log in with)");
    }

    @Test
    void acceptsATargetNameOf80CharactersWithDotsDashesAndUnderscores() {
        String name = "app.db-1_" + "x".repeat(71);

        assertThat(fixture.load(target(name, "    host: h\n    user: u\n    password: p\n"))
                        .targets())
                .containsOnlyKeys(name);
    }

    @Test
    void rejectsATargetPortAbove65535() {
        fixture.assertRejected(
                appdb("    password: p\n    port: 70000\n"),
                "targets.appdb.port: must be between 1 and 65535, was 70000");
    }

    @Test
    void rejectsATargetWithoutHost() {
        fixture.assertRejected(target("appdb", "    user: u\n    password: p\n"), "targets.appdb.host: is required");
    }

    @Test
    void rejectsAMisspeltTargetKey() {
        fixture.assertRejected(
                appdb("    password: p\n    pasword_file: x\n"),
                "unknown key 'targets.appdb.pasword_file' (expected one of: host, port, user, password, "
                        + "password_file, database, connect_timeout, tls)");
    }

    @Test
    void rejectsBothPasswordAndPasswordFile() {
        fixture.assertRejected(
                appdb("    password: p\n    password_file: pw.txt\n"),
                "targets.appdb: exactly one of password or password_file is required");
    }

    @Test
    void rejectsNeitherPasswordNorPasswordFile() {
        fixture.assertRejected(appdb(""), "targets.appdb: exactly one of password or password_file is required");
    }

    @Test
    void acceptsAnExplicitlyEmptyPassword() {
        assertThat(fixture.load(appdb("    password: ''\n"))
                        .target("appdb")
                        .orElseThrow()
                        .password())
                .isEmpty();
    }

    @Test
    void rejectsAnUnquotedPasswordThatYamlWouldReadAsANumber() {
        fixture.assertRejected(
                appdb("    password: 0123\n"),
                "targets.appdb.password: must be a string (quote it so YAML keeps it as written)");
    }

    @Test
    void readsThePasswordFileRelativeToTheConfigAndStripsTheTrailingNewline() {
        fixture.write("secrets/appdb", "pa ss\nword\r\n");

        GatewayConfig config = fixture.load(appdb("    password_file: secrets/appdb\n"));

        assertThat(config.target("appdb").orElseThrow().password()).isEqualTo("pa ss\nword");
    }

    @Test
    void rejectsAPasswordFileThatCannotBeRead() {
        fixture.assertRejected(
                appdb("    password_file: secrets/missing\n"),
                "targets.appdb.password_file: cannot read " + dir.resolve("secrets/missing")
                        + " (NoSuchFileException)");
    }

    @Test
    void rejectsAnUnknownBackendTlsMode() {
        fixture.assertRejected(
                appdb("    password: p\n    tls:\n      mode: strict\n"),
                "targets.appdb.tls.mode: must be one of disabled, preferred, required, verify_ca, "
                        + "verify_identity, was 'strict'");
    }

    @Test
    void rejectsABackendCaFileThatDoesNotExist() {
        fixture.assertRejected(
                appdb("    password: p\n    tls:\n      ca_file: ca.pem\n"),
                "targets.appdb.tls.ca_file: file not found: " + dir.resolve("ca.pem"));
    }

    @Test
    void neverPrintsThePasswordInToString() {
        TargetConfig target = TargetConfig.of("appdb", "db.internal", 3306, "svc", "hunter2-secret");

        assertThat(target.toString()).doesNotContain("hunter2").contains("password=****", "user=svc");
    }
}
