package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.analysis.StatementAnalyzer;
import dev.agentgate.enforcement.GateResult;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MySQLFrame;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class ServerSideTimeoutTest {

    private static final StatementAnalyzer analyzer = new StatementAnalyzer();
    private static final Duration FIVE_SECONDS = Duration.ofMillis(5000);

    @AfterAll
    static void closeAnalyzer() {
        analyzer.close();
    }

    @Test
    void prefixesAPlainSelectWithTheServersOwnStatementTimeASecondLaterKeepingItsBytes() {
        assertThat(sent("SELECT id FROM orders WHERE note = 'é'", FIVE_SECONDS))
                .isEqualTo("SET STATEMENT max_statement_time=6.000 FOR SELECT id FROM orders WHERE note = 'é'");
    }

    @Test
    void writesMillisecondsAsAFractionOfASecond() {
        assertThat(ServerSideTimeout.seconds(Duration.ofMillis(250))).isEqualTo("0.250");
        assertThat(ServerSideTimeout.seconds(Duration.ofMillis(61_005))).isEqualTo("61.005");
        assertThat(ServerSideTimeout.seconds(Duration.ofMillis(1_050))).isEqualTo("1.050");
        assertThat(ServerSideTimeout.seconds(Duration.ofSeconds(2))).isEqualTo("2.000");
    }

    @Test
    void leavesEveryOtherShapeAsTheClientSentIt() {
        for (String sql : List.of(
                "/* c */ SELECT 1",
                "(SELECT 1)",
                "WITH a AS (SELECT 1) SELECT * FROM a",
                "UPDATE orders SET qty = 1 WHERE id = 2",
                "SELECT 1; SELECT 2",
                "SHOW TABLES")) {
            assertThat(sent(sql, FIVE_SECONDS)).as(sql).isEqualTo(sql);
        }
    }

    @Test
    void findsTheKeywordInAnyCaseAfterSpacesTabsAndLineBreaks() {
        assertThat(sent(" \t\r\nsElEcT\n1", FIVE_SECONDS))
                .isEqualTo("SET STATEMENT max_statement_time=6.000 FOR  \t\r\nsElEcT\n1");
    }

    @Test
    void leavesTextWhoseKeywordIsNotFollowedByASpaceOrStartsTooLateAlone() {
        String late = " ".repeat(60) + "SELECT 1";
        for (String sql : List.of("SELECT\f1", "SELECT(1)", "SELECT", late)) {
            assertThat(ServerSideTimeout.startsWithPlainSelect(Unpooled.copiedBuffer(sql, StandardCharsets.UTF_8)))
                    .as(sql)
                    .isFalse();
        }
    }

    @Test
    void leavesAStatementWithoutTimeoutAlone() {
        assertThat(sent("SELECT 1", null)).isEqualTo("SELECT 1");
    }

    private static String sent(String sql, Duration timeout) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[text.length + 1];
        payload[0] = (byte) CommandType.COM_QUERY.code();
        System.arraycopy(text, 0, payload, 1, text.length);
        GateResult.Proceed proceed =
                new GateResult.Proceed(analyzer.analyze(sql, "shop").statements(), List.of());
        MySQLFrame frame = ServerSideTimeout.bound(
                MySQLFrame.of(0, Unpooled.wrappedBuffer(payload)),
                CommandType.COM_QUERY,
                proceed,
                timeout,
                ByteBufAllocator.DEFAULT);
        try {
            assertThat(frame.sequenceId()).isZero();
            return frame.payload().toString(1, frame.payload().readableBytes() - 1, StandardCharsets.UTF_8);
        } finally {
            frame.release();
        }
    }
}
