package dev.agentgate.approval.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.approval.ApprovalRecord;
import dev.agentgate.approval.ApprovalState;
import dev.agentgate.approval.ChannelsGateway;
import dev.agentgate.config.ApprovalChannelsConfig;
import dev.agentgate.config.SlackConfig;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.testing.FreePorts;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slack user groups as approvers ({@code slack:<user group id>}): a real gateway asks Slack (played by a real HTTP
 * server, Web API included) who is in the group when a mapped Slack user clicks, through the bot token.
 */
@Tag("integration")
class SlackUserGroupsGatewayTest {
    private static final String SIGNING_SECRET = "user-groups-signing-secret-0123";
    private static final String ERIN = "U0ERIN";
    private static final String DANA = "U0DANA";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each DROP TABLE is approved by the Slack user group named after its table, upper-cased. */
    private static final String REGO = """
            package agentgate

            import rego.v1

            default decision := {"action": "allow", "reason": "test: allowed"}

            decision := {
            	"action": "require_approval",
            	"reason": "destructive: DROP TABLE needs the table's user group",
            	"approval": {
            		"approvers": [concat("", ["slack:", upper(t.name)])],
            		"mode": "hold", "timeout_s": 30, "channel": "slack:#db-approvals",
            	},
            } if {
            	input.statement.type == "drop_table"
            	some t in input.statement.tables
            }
            """;

    @TempDir
    static Path directory;

    private static TestSlack slack;
    private static ChannelsGateway gateway;
    private static SlackClicks clicks;

    @BeforeAll
    static void start() throws Exception {
        slack = new TestSlack();
        SlackConfig config = new SlackConfig(
                slack.webhook(),
                SIGNING_SECRET,
                Map.of(
                        ERIN, new SlackConfig.SlackUser(DevIssuer.ISSUER, "erin", List.of()),
                        DANA, new SlackConfig.SlackUser(DevIssuer.ISSUER, "dana", List.of())),
                3,
                Duration.ofMillis(20),
                TestSlack.BOT_TOKEN,
                slack.api());
        gateway = ChannelsGateway.start(
                directory,
                new ApprovalChannelsConfig(Optional.of(config), Optional.empty(), Optional.empty()),
                FreePorts.next(),
                REGO);
        clicks = new SlackClicks(gateway.adminUrl(), SIGNING_SECRET, slack);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        slack.close();
    }

    @AfterEach
    void slackAnswersAgain() {
        slack.failWith(0);
    }

    @Test
    void aClickByAMemberOfTheSlackUserGroupNamedAsApproversApprovesTheHeldDrop() throws Exception {
        slack.userGroup("GRP_APPROVE", DANA, ERIN);
        gateway.mariadb().sql("CREATE TABLE shop.grp_approve (id INT)");
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.grp_approve");
        String id = gateway.pendingFor("grp_approve", drop).request().id();
        slack.nextMessageAbout("grp_approve");

        HttpResponse<String> click = clicks.click(ERIN, SlackMessages.APPROVE_ACTION, id, 1);

        assertThat(click.statusCode()).as(click.body()).isEqualTo(200);
        drop.get(20, TimeUnit.SECONDS);
        assertThat(gateway.mariadb().sql("SHOW TABLES IN shop LIKE 'grp_approve'"))
                .isBlank();
        assertThat(gateway.approvals().find(id).join().orElseThrow().votes())
                .singleElement()
                .satisfies(vote -> assertThat(vote.approver().groups()).containsExactly("slack:GRP_APPROVE"));
    }

    @Test
    void aClickByAMappedSlackUserOutsideTheGroupIsRefusedAsNotAnApprover() throws Exception {
        slack.userGroup("GRP_OUTSIDER", ERIN);
        gateway.mariadb().sql("CREATE TABLE shop.grp_outsider (id INT)");
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.grp_outsider");
        ApprovalRecord pending = gateway.pendingFor("grp_outsider", drop);
        slack.nextMessageAbout("grp_outsider");

        HttpResponse<String> click = clicks.click(
                DANA, SlackMessages.APPROVE_ACTION, pending.request().id(), 2);

        assertThat(click.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(click.body()).path("code").asText()).isEqualTo("not_an_approver");
        assertThat(state(pending)).isEqualTo(ApprovalState.PENDING);
        clicks.click(ERIN, SlackMessages.DENY_ACTION, pending.request().id(), 3);
        assertThatThrownBy(() -> drop.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void whenSlackCannotListTheGroupsMembersTheClickIsRefusedAndDecidesNothing() throws Exception {
        slack.userGroup("GRP_DOWN", ERIN);
        gateway.mariadb().sql("CREATE TABLE shop.grp_down (id INT)");
        CompletableFuture<Void> drop = gateway.execute("agent-7", "DROP TABLE shop.grp_down");
        ApprovalRecord pending = gateway.pendingFor("grp_down", drop);
        slack.nextMessageAbout("grp_down");
        slack.failWith(503);

        HttpResponse<String> click = clicks.click(
                ERIN, SlackMessages.APPROVE_ACTION, pending.request().id(), 4);

        assertThat(click.statusCode()).isEqualTo(503);
        assertThat(gateway.approvals()
                        .find(pending.request().id())
                        .join()
                        .orElseThrow()
                        .votes())
                .isEmpty();
        assertThat(drop).isNotDone();
        slack.failWith(0);
        assertThat(clicks.click(
                                ERIN,
                                SlackMessages.DENY_ACTION,
                                pending.request().id(),
                                5)
                        .statusCode())
                .isEqualTo(200);
        assertThatThrownBy(() -> drop.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(state(pending)).isEqualTo(ApprovalState.DENIED);
    }

    private static ApprovalState state(ApprovalRecord record) {
        return gateway.approvals()
                .find(record.request().id())
                .join()
                .orElseThrow()
                .state();
    }
}
