package dev.agentgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.audit.JsonLinesAuditSink;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.OpaClient;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionFacts;
import dev.agentgate.testing.OpaProcess;
import dev.agentgate.testing.PolicyFixtures;
import dev.agentgate.testing.RepoFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code agentgate policy whatif}: decisions of the shipped policy, taken by a real OPA on the inputs the gateway's
 * own analysis and input builder make, exported through the SIEM export, then replayed against a candidate bundle
 * (the shipped policy plus one rule) in the local OPA the command starts.
 */
@Tag("integration")
class WhatIfCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant STARTED = Instant.parse("2026-12-01T10:00:00Z");
    private static final Identity AGENT = new Identity(
            "https://idp.example.com",
            "agent-7",
            Map.of("sub", "agent-7", "groups", List.of("ai-agents")),
            STARTED.plusSeconds(3600));
    private static final String NO_SHOW = """
      package agentgate

      deny contains "candidate: SHOW statements are no longer allowed" if statement_type == "show"
      """;

    @TempDir
    static Path dir;

    private static Path recorded;
    private static Path candidate;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void recordDecisionsOfTheShippedPolicy() throws Exception {
        recorded = dir.resolve("audit.jsonl");
        try (OpaProcess opa = OpaProcess.start(RepoFiles.regoDir());
                OpaClient client = new OpaClient(PolicyFixtures.patientOpa(opa.url()), MAPPER);
                JsonLinesAuditSink export = JsonLinesAuditSink.open(recorded.toString())) {
            long commandNo = 0;
            for (String sql : List.of("SELECT id, qty FROM orders", "SHOW TABLES", "DELETE FROM orders")) {
                StatementFacts facts = new StatementAnalyzer()
                        .analyze(sql, "shop")
                        .statements()
                        .get(0);
                ObjectNode input = new PolicyInput(MAPPER).build(AGENT, session(), Map.of("type", "query"), facts);
                Decision decision = client.decide(input).get(10, TimeUnit.SECONDS);
                export.on(new SessionEvent.CommandDecided(
                        "gw-a-0011223344556677",
                        STARTED.plusSeconds(++commandNo),
                        commandNo,
                        decision.action(),
                        decision.reason(),
                        List.of(facts),
                        List.of(decision),
                        () -> List.of(input.toString())));
            }
        }
        candidate = bundleOfTheShippedPolicyWith(NO_SHOW);
    }

    @Test
    void aCandidateThatDeniesOneMoreStatementTypeListsThatStatementAndExitsWithOne() {
        int exitCode = run("policy", "whatif", "--bundle", candidate.toString(), "--inputs", recorded.toString());

        assertThat(exitCode).as("stderr: %s", err).isEqualTo(1);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("STATEMENT").contains("IDENTITY", "CHANGE", "NEW REASON");
        assertThat(lines.get(1))
                .startsWith("SHOW TABLES")
                .contains("agent-7 (issuer https://idp.example.com)")
                .contains("allow -> deny")
                .contains("candidate: SHOW statements are no longer allowed");
        assertThat(lines.get(2)).isEqualTo("3 decision(s) replayed, 1 would change");
    }

    @Test
    void theShippedPolicyItselfChangesNothingAndExitsWithZero() {
        int exitCode =
                run("policy", "whatif", "--bundle", RepoFiles.regoDir().toString(), "--inputs", recorded.toString());

        assertThat(exitCode).as("stderr: %s", err).isZero();
        assertThat(out.toString().strip()).isEqualTo("3 decision(s) replayed, 0 would change");
    }

    @Test
    void decisionsOfOtherSubjectsAreLeftOutBySubject() {
        int exitCode = run(
                "policy",
                "whatif",
                "--bundle",
                candidate.toString(),
                "--inputs",
                recorded.toString(),
                "--subject",
                "agent-8");

        assertThat(exitCode).isZero();
        assertThat(out.toString().strip()).isEqualTo("0 decision(s) replayed, 0 would change");
    }

    @Test
    void decisionsBeforeSinceAreLeftOut() {
        int exitCode = run(
                "policy",
                "whatif",
                "--opa-url",
                "http://127.0.0.1:1",
                "--inputs",
                recorded.toString(),
                "--since",
                "2026-12-02T00:00:00Z");

        assertThat(exitCode).isZero();
        assertThat(out.toString().strip()).isEqualTo("0 decision(s) replayed, 0 would change");
    }

    @Test
    void aCandidateThatCannotBeAskedIsAnErrorWithExitCodeTwo() {
        int exitCode = run("policy", "whatif", "--opa-url", "http://127.0.0.1:1", "--inputs", recorded.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("could not be asked about 3 decision(s)", "policy engine unavailable");
    }

    @Test
    void aBundleThatDoesNotExistIsAnErrorWithExitCodeTwo() {
        int exitCode = run(
                "policy",
                "whatif",
                "--bundle",
                dir.resolve("missing.tar.gz").toString(),
                "--inputs",
                recorded.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains("bundle not found");
    }

    @Test
    void anInputLineThatIsNotJsonIsAnErrorNamingTheLine() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.jsonl"), "{\"event\":\"x\"}\nnot json\n");

        int exitCode = run("policy", "whatif", "--opa-url", "http://127.0.0.1:1", "--inputs", broken.toString());

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).contains(broken + " line 2 is not JSON");
    }

    private int run(String... args) {
        CommandLine command = AgentgateCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    private static SessionFacts session() {
        return new SessionFacts(
                12,
                "gw-a-0011223344556677",
                "appdb",
                "shop",
                "10.1.2.3:50312",
                true,
                "mysql",
                Map.of(),
                STARTED,
                AGENT.expiresAt());
    }

    /** {@code opa build} of a copy of rego/ with one more policy file. */
    private static Path bundleOfTheShippedPolicyWith(String extraRego) throws Exception {
        Path policy = Files.createDirectories(dir.resolve("candidate"));
        try (Stream<Path> files = Files.list(RepoFiles.regoDir())) {
            for (Path file : files.filter(
                            f -> f.toString().endsWith(".rego") && !f.toString().endsWith("_test.rego")
                                    || f.getFileName().toString().equals("data.json"))
                    .toList()) {
                Files.copy(file, policy.resolve(file.getFileName()));
            }
        }
        Files.writeString(policy.resolve("candidate.rego"), extraRego);
        Path bundle = dir.resolve("candidate.tar.gz");
        Process build = new ProcessBuilder(
                        OpaProcess.binary(), "build", "-b", policy.toString(), "-o", bundle.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(build.getInputStream().readAllBytes());
        assertThat(build.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(build.exitValue()).as("opa build: %s", output).isZero();
        return bundle;
    }
}
