package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.session.SessionInfo;
import dev.agentgate.session.SessionRegistry;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the filter does with the text of a COM_QUERY before the policy sees it. */
class CommandFilterQueryTest {

    private final CommandFilter filter = new CommandFilter(
            new SessionRegistry(10),
            new SessionInfo(1, "s1", "https://issuer", "agent", "appdb", 1001, "127.0.0.1", Instant.EPOCH),
            CapabilityFlags.CLIENT_PROTOCOL_41);

    private CommandFilter.Verdict inspect(String sql) {
        MySQLFrame frame = MySQLFrame.fromPacket(new ComQueryPacket(sql), 0, UnpooledByteBufAllocator.DEFAULT);
        CommandFilter.Verdict verdict = filter.inspect(frame, "shop");
        // Like the relay: a forwarded frame travels on (released here), any other verdict leaves it to the caller.
        if (verdict instanceof CommandFilter.Verdict.Forward forward) {
            forward.frame().release();
        } else {
            frame.release();
        }
        return verdict;
    }

    private static int answeredCode(CommandFilter.Verdict verdict) {
        assertThat(verdict).isInstanceOf(CommandFilter.Verdict.Answer.class);
        return ((CommandFilter.Verdict.Answer) verdict).error().errorCode();
    }

    @Test
    void answersLoadDataLocalInAnyCaseAfterAnyWhitespace() {
        assertThat(answeredCode(inspect(" \t\r\n\u000B\fload Data LOCAL infile '/etc/passwd' INTO TABLE t")))
                .isEqualTo(MySQLErrorCode.ER_NOT_ALLOWED_COMMAND.code());
    }

    @Test
    void answersAKillThatIsNotASingleStatementInAnyCase() {
        assertThat(answeredCode(inspect("SELECT 1;  kIlL 42"))).isEqualTo(MySQLErrorCode.ER_NOT_SUPPORTED_YET.code());
    }

    @Test
    void forwardsStatementsThatOnlyMentionTheWordsToThePolicy() {
        assertThat(inspect("SELECT 'skill', loaded FROM t WHERE note = 'LOAD DATA LOCAL'"))
                .isInstanceOf(CommandFilter.Verdict.Forward.class);
        assertThat(inspect("SELECT c FROM sbtest1 WHERE id=42"))
                .isInstanceOfSatisfying(
                        CommandFilter.Verdict.Forward.class,
                        forward -> assertThat(forward.question().sql()).isEqualTo("SELECT c FROM sbtest1 WHERE id=42"));
    }
}
