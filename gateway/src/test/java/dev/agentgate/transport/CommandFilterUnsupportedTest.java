package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.session.SessionInfo;
import dev.agentgate.session.SessionRegistry;
import io.netty.buffer.Unpooled;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Commands the gateway does not relay are answered with an error that names them; the session goes on. */
class CommandFilterUnsupportedTest {

    private final CommandFilter filter = new CommandFilter(
            new SessionRegistry(10),
            new SessionInfo(1, "s1", "https://issuer", "agent", "appdb", 1001, "127.0.0.1", Instant.EPOCH),
            CapabilityFlags.CLIENT_PROTOCOL_41);

    @ParameterizedTest
    @CsvSource({"fa0100000080000000, COM_STMT_BULK_EXECUTE", "0701, COM_REFRESH", "0d, COM_DEBUG"})
    void anUnsupportedCommandIsAnsweredByNameAndTheSessionGoesOn(String packet, String name) {
        MySQLFrame frame =
                MySQLFrame.of(0, Unpooled.wrappedBuffer(java.util.HexFormat.of().parseHex(packet)));
        CommandFilter.Verdict verdict = filter.inspect(frame, "shop");
        frame.release();
        assertThat(verdict).isInstanceOf(CommandFilter.Verdict.Answer.class);
        CommandFilter.Verdict.Answer answer = (CommandFilter.Verdict.Answer) verdict;
        assertThat(answer.error().errorCode()).isEqualTo(MySQLErrorCode.ER_UNKNOWN_COM_ERROR.code());
        assertThat(answer.error().message()).startsWith(name + " ").contains("not supported by agentgate");
    }
}
