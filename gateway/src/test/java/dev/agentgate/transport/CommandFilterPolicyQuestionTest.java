package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.session.SessionInfo;
import dev.agentgate.session.SessionRegistry;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The protocol commands the policy contract lists reach the policy with their own type. */
class CommandFilterPolicyQuestionTest {

    private final CommandFilter filter = new CommandFilter(
            new SessionRegistry(10),
            new SessionInfo(1, "s1", "https://issuer", "agent", "appdb", 1001, "127.0.0.1", Instant.EPOCH),
            CapabilityFlags.CLIENT_PROTOCOL_41);

    @ParameterizedTest
    @CsvSource({
        "COM_PING, '', ping",
        "COM_STATISTICS, '', statistics",
        "COM_SET_OPTION, 0000, set_option",
        "COM_STMT_RESET, 01000000, stmt_reset",
        "COM_STMT_FETCH, 0100000010000000, stmt_fetch",
        "COM_RESET_CONNECTION, '', reset_connection"
    })
    void aProtocolCommandIsAskedAboutWithItsType(CommandType command, String body, String type) {
        byte[] rest = java.util.HexFormat.of().parseHex(body);
        MySQLFrame frame = MySQLFrame.of(0, Unpooled.wrappedBuffer(new byte[] {(byte) command.code()}, rest));
        CommandFilter.Verdict verdict = filter.inspect(frame, "shop");
        assertThat(verdict).isInstanceOf(CommandFilter.Verdict.Forward.class);
        CommandFilter.Verdict.Forward forward = (CommandFilter.Verdict.Forward) verdict;
        forward.frame().release();
        assertThat(forward.question()).as("the policy question").isNotNull();
        assertThat(forward.question().type()).isEqualTo(type);
        assertThat(forward.question().sql()).isNull();
    }
}
