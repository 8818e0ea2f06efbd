package dev.agentgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.audit.JsonLinesAuditSink;
import dev.agentgate.config.MaskingConfig;
import dev.agentgate.testing.DevGateway;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A session through a real gateway (real MariaDB, real OPA) exported by the SIEM export ({@code audit.jsonl}), then
 * replayed by {@code agentgate policy whatif} against a candidate policy that denies one more statement type.
 */
@Tag("integration")
class WhatIfRecordedSessionMariaDbTest {

    private static final String TODAY = """
      package agentgate

      decision := {"action": "allow", "reason": "allow: everything (today's policy)"}
      """;
    private static final String CANDIDATE = """
      package agentgate

      show if input.statement.type == "show"

      decision := {"action": "deny", "reason": "candidate: no SHOW statements"} if show

      decision := {"action": "allow", "reason": "allow: everything else"} if not show
      """;

    @TempDir
    static Path dir;

    private static Path export;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void recordASessionThroughTheGateway() throws Exception {
        export = dir.resolve("audit.jsonl");
        JsonLinesAuditSink audit = JsonLinesAuditSink.open(export.toString());
        try (DevGateway gateway = DevGateway.start(
                dir.resolve("gateway"),
                TODAY,
                "CREATE DATABASE shop; CREATE TABLE shop.orders (id INT);",
                MaskingConfig.NONE,
                new DevGateway.Options(
                        List.of(audit), DevGateway.Options.defaults().idleTimeout()))) {
            try (Connection connection = gateway.connect("appdb", "shop");
                    Statement statement = connection.createStatement()) {
                statement.executeQuery("SELECT id FROM orders").close();
                statement.executeQuery("SHOW TABLES").close();
            }
        }
        audit.close();
    }

    @Test
    void theExportHoldsTheExactPolicyInputsOfTheSessionsDecisions() throws Exception {
        List<String> sql = new ArrayList<>();
        for (String line : Files.readAllLines(export)) {
            JsonNode event = new ObjectMapper().readTree(line);
            if (event.path("event").asText().equals("command_decided")) {
                sql.add(event.path("policy_inputs")
                        .get(0)
                        .path("statement")
                        .path("sql")
                        .asText());
            }
        }
        assertThat(sql).contains("SELECT id FROM orders", "SHOW TABLES");
    }

    @Test
    void theCandidateThatDeniesShowListsTheRecordedShowTablesAndExitsWithOne() throws Exception {
        Path candidate = Files.createDirectories(dir.resolve("candidate"));
        Files.writeString(candidate.resolve("candidate.rego"), CANDIDATE);

        CommandLine command = AgentgateCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exitCode =
                command.execute("policy", "whatif", "--bundle", candidate.toString(), "--inputs", export.toString());

        assertThat(exitCode).as("stderr: %s", err).isEqualTo(1);
        List<String> changed = out.toString().lines().skip(1).toList();
        assertThat(changed).hasSize(2);
        assertThat(changed.get(0))
                .startsWith("SHOW TABLES")
                .contains("agent-7 (issuer agentgate-dev)", "allow -> deny", "candidate: no SHOW statements");
        assertThat(changed.get(1)).endsWith(" would change").contains("1 would change");
    }
}
