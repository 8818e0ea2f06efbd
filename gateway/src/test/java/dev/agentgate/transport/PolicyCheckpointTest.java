package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.enforcement.GateResult;
import dev.agentgate.enforcement.StatementGate;
import dev.agentgate.identity.Identity;
import dev.agentgate.policy.Decision;
import dev.agentgate.policy.PolicyEngine;
import dev.agentgate.policy.PolicyInput;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.session.SessionFacts;
import dev.agentgate.session.SessionRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PolicyCheckpointTest {

    private static final Decision.Caching NOT_CACHED = new Decision.Caching(Duration.ZERO, false, false);
    private static final Decision ALLOW =
            new Decision.Allow("granted", Optional.empty(), Decision.Obligations.NONE, NOT_CACHED);
    private static final Decision DENY = new Decision.Deny("no grant on shop.customers", Optional.empty(), NOT_CACHED);

    private final EmbeddedChannel client = new EmbeddedChannel();
    private final ClientConnection connection = new ClientConnection(1, "gw-1", client, new SessionRegistry(10));
    private final StatementAnalyzer analyzer = new StatementAnalyzer();
    private CompletableFuture<Decision> decision = new CompletableFuture<>();
    private final PolicyEngine engine = new PolicyEngine() {
        @Override
        public CompletableFuture<Decision> decide(JsonNode input) {
            return decision;
        }

        @Override
        public void close() {}
    };
    // Analysis on the calling thread: a decision the engine has already made completes the check at once.
    private final StatementGate gate =
            new StatementGate(analyzer, engine, null, new PolicyInput(new ObjectMapper()), Runnable::run);
    private final Identity identity =
            new Identity("agentgate-dev", "agent", Map.of("sub", "agent"), Instant.ofEpochSecond(4_000_000_000L));
    private final SessionFacts facts = new SessionFacts(
            1, "gw-1", "shop", null, "127.0.0.1:40000", true, null, Map.of(), Instant.EPOCH, identity.expiresAt());
    private final RecordedOutcome outcome = new RecordedOutcome();
    private final PolicyCheckpoint checkpoint =
            new PolicyCheckpoint(gate, identity, facts, new PreparedStatements(), connection, outcome);

    @AfterEach
    void closeAnalyzer() {
        analyzer.close();
        client.finishAndReleaseAll();
    }

    @Test
    void forwardsACommandWhoseDecisionIsAlreadyMadeBeforeCheckReturns() {
        decision.complete(ALLOW);
        MySQLFrame frame = command("SELECT id FROM orders");

        checkpoint.check(forward(frame, PolicyQuestion.query("SELECT id FROM orders")), null);

        assertThat(outcome.forwarded).isSameAs(frame);
        assertThat(outcome.proceed.statements()).hasSize(1);
        assertThat(checkpoint.isDeciding()).isFalse();
    }

    @Test
    void handlesADecisionStillBeingMadeOnTheSessionsEventLoop() {
        MySQLFrame frame = command("SELECT id FROM orders");

        checkpoint.check(forward(frame, PolicyQuestion.query("SELECT id FROM orders")), null);
        assertThat(checkpoint.isDeciding()).isTrue();
        decision.complete(ALLOW);
        assertThat(outcome.forwarded).isNull();
        client.runPendingTasks();

        assertThat(outcome.forwarded).isSameAs(frame);
        assertThat(checkpoint.isDeciding()).isFalse();
    }

    @Test
    void dropsAVerdictThatArrivesAfterTheSessionClosedAndReleasesItsFrame() {
        MySQLFrame frame = command("DELETE FROM orders WHERE id = 1");
        checkpoint.check(forward(frame, PolicyQuestion.query("DELETE FROM orders WHERE id = 1")), null);

        connection.close();
        checkpoint.abandon();
        client.runPendingTasks();
        decision.complete(ALLOW);
        client.runPendingTasks();

        assertThat(outcome.forwarded).isNull();
        assertThat(outcome.error).isNull();
        assertThat(frame.refCnt()).isZero();
        assertThat(checkpoint.isDeciding()).isFalse();
    }

    @Test
    void refusesADeniedCommandWithAnAccessErrorAfterItAndReleasesItsFrame() {
        decision.complete(DENY);
        MySQLFrame frame = command("SELECT ssn FROM customers");

        checkpoint.check(forward(frame, PolicyQuestion.query("SELECT ssn FROM customers")), null);

        assertThat(outcome.forwarded).isNull();
        assertThat(outcome.error.errorCode()).isEqualTo(1142);
        assertThat(outcome.error.message()).contains("no grant on shop.customers");
        assertThat(outcome.responseSequenceId).isEqualTo(1);
        assertThat(frame.refCnt()).isZero();
    }

    @Test
    void forwardsACommandThePolicyDoesNotDecideWithoutAsking() {
        MySQLFrame frame = command("");

        checkpoint.check(forward(frame, null), null);

        assertThat(outcome.forwarded).isSameAs(frame);
        assertThat(outcome.proceed).isNull();
    }

    @Test
    void makesTheDatabaseOfAnAllowedInitDbCurrentOnlyOnceItSucceeded() {
        decision.complete(ALLOW);

        checkpoint.check(forward(command("shop"), PolicyQuestion.initDb("shop")), null);
        assertThat(checkpoint.database()).isNull();
        checkpoint.succeeded();

        assertThat(checkpoint.database()).isEqualTo("shop");
    }

    @Test
    void readsTheNextStatementInTheModeTheServerReportedDuringTheResponse() {
        decision.complete(ALLOW);
        checkpoint.check(
                forward(command("SET sql_mode = 'ANSI_QUOTES'"), PolicyQuestion.query("SET sql_mode = 'ANSI_QUOTES'")),
                null);

        checkpoint.sessionStateReported(Map.of("sql_mode", "ANSI_QUOTES"));
        checkpoint.succeeded();

        assertThat(checkpoint.lexing().ansiQuotes()).isTrue();
    }

    @Test
    void losesTrackOfTheSessionWhenAFailedCallMayHaveChangedIt() {
        decision.complete(ALLOW);
        checkpoint.check(forward(command("CALL p()"), PolicyQuestion.query("CALL p()")), null);

        checkpoint.failed();

        assertThat(checkpoint.lexing().unreadableReason()).contains("call statement failed");
    }

    @Test
    void keepsTrackWhenAPlainQueryFails() {
        decision.complete(ALLOW);
        checkpoint.check(
                forward(command("SELECT id FROM orders"), PolicyQuestion.query("SELECT id FROM orders")), null);

        checkpoint.failed();

        assertThat(checkpoint.lexing().unreadableReason()).isNull();
    }

    private static MySQLFrame command(String text) {
        return MySQLFrame.of(
                0,
                Unpooled.wrappedBuffer(
                        Unpooled.wrappedBuffer(new byte[] {0x03}),
                        Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
    }

    private static CommandFilter.Verdict.Forward forward(MySQLFrame frame, PolicyQuestion question) {
        return new CommandFilter.Verdict.Forward(
                frame, new CommandResponseTracker(CommandType.COM_QUERY, 0L), question);
    }

    /** The relay's side of the checkpoint: what it was told to do. */
    private static final class RecordedOutcome implements PolicyCheckpoint.Outcome {
        MySQLFrame forwarded;
        GateResult.Proceed proceed;
        ErrPacket error;
        int responseSequenceId = -1;

        @Override
        public void forward(MySQLFrame frame, CommandResponseTracker tracker, GateResult.Proceed proceed) {
            this.forwarded = frame;
            this.proceed = proceed;
        }

        @Override
        public void refused(ErrPacket error, int responseSequenceId) {
            this.error = error;
            this.responseSequenceId = responseSequenceId;
        }
    }
}
