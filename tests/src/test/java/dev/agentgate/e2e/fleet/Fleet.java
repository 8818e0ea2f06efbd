package dev.agentgate.e2e.fleet;

import dev.agentgate.e2e.env.FreePort;
import dev.agentgate.e2e.env.GatewayProcess;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OidcIssuer;
import dev.agentgate.testing.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the replicas of one fleet share: the OIDC issuer, OPA, the target, a state database (its own schema on the
 * MariaDB, apart from the target's), the S3 bucket for recordings and the masking hash key. Each replica has its own
 * instance id, data directory (its recording spool) and admin listener; they share the recording signing key.
 */
final class Fleet {

    static final String TARGET = "appdb";
    static final String STATE_SCHEMA = "agentgate_fleet_state";
    private static final String HASH_KEY = "fleet-test-hash-key-0123456789";

    private final OidcIssuer issuer;
    private final String opaUrl;
    private final MariaDbServer mariadb;
    private final S3Server s3;
    private final Path signingKey;

    /** {@code signingKey}: the fleet's one recording key (a mounted secret), so any replica verifies any session. */
    Fleet(OidcIssuer issuer, String opaUrl, MariaDbServer mariadb, S3Server s3, Path signingKey) {
        this.issuer = issuer;
        this.opaUrl = opaUrl;
        this.mariadb = mariadb;
        this.s3 = s3;
        this.signingKey = signingKey;
        mariadb.execute("DROP DATABASE IF EXISTS " + STATE_SCHEMA, "CREATE DATABASE " + STATE_SCHEMA);
    }

    /** A running replica: the gateway process and where its admin listener is. */
    record Replica(String instanceId, Path dataDir, GatewayProcess gateway, int adminPort) {
        String adminUrl() {
            return "http://127.0.0.1:" + adminPort;
        }
    }

    /** Starts replica {@code instanceId} keeping its files in {@code dataDir} (the same one again after a crash). */
    Replica start(String instanceId, Path dataDir) {
        int adminPort = FreePort.find();
        GatewayProcess gateway = GatewayProcess.builder()
                .issuer(issuer)
                .opaPolicy(opaUrl)
                .policySetting("timeout", "5s")
                .policySetting("masking", "{hash_key: \"" + HASH_KEY + "\"}")
                .approvalSetting("default_mode", "ticket")
                .target(TARGET, mariadb)
                .section("instance_id: " + instanceId)
                .section("data_dir: \"" + dataDir + "\"")
                .section("admin:\n  enabled: true\n  port: " + adminPort)
                .section("state:\n  url: \"jdbc:mariadb://" + mariadb.host() + ":" + mariadb.port() + "/" + STATE_SCHEMA
                        + "\"\n  user: \"" + mariadb.adminUser() + "\"\n  password: \"" + mariadb.adminPassword()
                        + "\"")
                .section("recording:\n  on_failure: refuse\n  signing_key: \"" + signingKey + "\"\n"
                        + s3.recordingS3Yaml("  "))
                .start();
        return new Replica(instanceId, dataDir, gateway, adminPort);
    }

    /** {@code agentgate ARGS} with the replica's config, as an operator runs it on that replica's host. */
    static String cli(Replica replica, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                Path.of(System.getProperty("agentgate.jar", "../gateway/target/agentgate.jar"))
                        .toAbsolutePath()
                        .toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", replica.gateway().configFile().toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("agentgate " + String.join(" ", args) + " did not finish in 120 s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    "agentgate " + String.join(" ", args) + " exited " + process.exitValue() + ":\n" + text);
        }
        return text;
    }
}
