package dev.agentgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.approval.Approver;
import dev.agentgate.approval.ChannelsGateway;
import dev.agentgate.approval.Verdict;
import dev.agentgate.config.ApprovalChannelsConfig;
import dev.agentgate.identity.DevIssuer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code agentgate approvals} against a running gateway (real MariaDB, OPA, SQLite state, admin listener). */
@Tag("integration")
class ApprovalsCommandGatewayTest {
    @TempDir
    static Path directory;

    private static ChannelsGateway gateway;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start() throws Exception {
        gateway = ChannelsGateway.start(directory, ApprovalChannelsConfig.none());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private int approvals(String... args) {
        CommandLine command = AgentgateCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 1];
        full[0] = "approvals";
        System.arraycopy(args, 0, full, 1, args.length);
        return command.execute(full);
    }

    @Test
    void approveByAnotherPersonsTokenLetsTheHeldDropRun() throws Exception {
        gateway.mariadb().sql("CREATE TABLE shop.cli_drop (id INT)");
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.cli_drop");
        String id = gateway.pendingFor("cli_drop", drop).request().id();
        String admin = gateway.adminUrl().toString();

        assertThat(approvals("list", "--admin-url", admin, "--token", gateway.token("dana")))
                .isZero();
        assertThat(out.toString()).contains("\"id\":\"" + id + "\"");
        int exit = approvals("approve", id, "--admin-url", admin, "--token", gateway.token("dana"));

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"result\":\"decided\"", "\"state\":\"approved\"");
        drop.get(20, TimeUnit.SECONDS);
        assertThat(gateway.mariadb().sql("SHOW TABLES IN shop LIKE 'cli_drop'")).isBlank();
    }

    @Test
    void showPrintsTheHeldRequestWithItsStatementRequesterAndState() throws Exception {
        gateway.mariadb().sql("CREATE TABLE shop.cli_show (id INT)");
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.cli_show");
        String id = gateway.pendingFor("cli_show", drop).request().id();

        int exit =
                approvals("show", id, "--admin-url", gateway.adminUrl().toString(), "--token", gateway.token("dana"));

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains(
                        "\"id\":\"" + id + "\"",
                        "\"state\":\"pending\"",
                        "\"requester_subject\":\"agent-7\"",
                        "\"statement\":\"DROP TABLE shop.cli_show\"",
                        "\"approvers\":[\"dana\"]",
                        "\"votes\":[]");
        gateway.approvals()
                .decide(id, new Approver(DevIssuer.ISSUER, "dana", List.of(), Approver.Via.API), Verdict.DENY, "test")
                .join();
        assertThatThrownBy(() -> drop.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void denyByAnApproverRefusesTheHeldDropNamingThemAndLeavesTheTable() throws Exception {
        gateway.mariadb().sql("CREATE TABLE shop.cli_deny (id INT)");
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.cli_deny");
        String id = gateway.pendingFor("cli_deny", drop).request().id();

        int exit =
                approvals("deny", id, "--admin-url", gateway.adminUrl().toString(), "--token", gateway.token("dana"));

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"result\":\"decided\"", "\"state\":\"denied\"");
        assertThatThrownBy(() -> drop.get(20, TimeUnit.SECONDS))
                .rootCause()
                .hasMessageContaining("request " + id + " was denied by " + DevIssuer.ISSUER + "|dana");
        assertThat(gateway.mariadb().sql("SHOW TABLES IN shop LIKE 'cli_deny'")).isEqualTo("cli_deny");
    }

    @Test
    void aCallWithoutAValidTokenIsRefusedWithExitCode1() {
        int exit = approvals("list", "--admin-url", gateway.adminUrl().toString(), "--token", "not-a-jwt");

        assertThat(exit).isEqualTo(ApprovalsCommand.EXIT_REFUSED);
        assertThat(err.toString()).contains("token refused");
    }
}
