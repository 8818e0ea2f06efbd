package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.enforcement.GateResult;
import dev.agentgate.policy.Decision;
import dev.agentgate.protocol.CommandType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandObligationsTest {

    private static final ByteBuf QUERY = Unpooled.wrappedBuffer(new byte[] {3, 'S'});
    private final PreparedStatements prepared = new PreparedStatements();

    @Test
    void aCommandWithoutObligationsHasNone() {
        assertThat(CommandObligations.of(
                        QUERY, CommandType.COM_QUERY, proceed(allow(Optional.empty(), Optional.empty())), prepared))
                .isEqualTo(CommandObligations.NONE);
        assertThat(CommandObligations.of(QUERY, CommandType.COM_QUERY, null, prepared))
                .isEqualTo(CommandObligations.NONE);
    }

    @Test
    void aBatchRunsUnderTheStrictestObligationOfEachKindAmongItsStatements() {
        GateResult.Proceed batch = proceed(
                allow(Optional.of(1000L), Optional.empty()),
                allow(Optional.of(10L), Optional.of(Duration.ofSeconds(9))),
                mask(Optional.of(500L), Optional.of(Duration.ofSeconds(2))));

        CommandObligations obligations = CommandObligations.of(QUERY, CommandType.COM_QUERY, batch, prepared);

        assertThat(obligations.maxRows()).isEqualTo(10);
        assertThat(obligations.statementTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aQueryGetsAFreshRowBudgetEachTime() {
        CommandObligations obligations = CommandObligations.of(
                QUERY, CommandType.COM_QUERY, proceed(allow(Optional.of(3L), Optional.empty())), prepared);

        RowBudget first = obligations.rowBudget(QUERY, CommandType.COM_QUERY, prepared);
        first.take();

        assertThat(obligations.rowBudget(QUERY, CommandType.COM_QUERY, prepared))
                .isNotSameAs(first);
        assertThat(first.maxRows()).isEqualTo(3);
    }

    private static GateResult.Proceed proceed(Decision... decisions) {
        return new GateResult.Proceed(List.of(), List.of(decisions));
    }

    private static Decision allow(Optional<Long> maxRows, Optional<Duration> timeout) {
        return new Decision.Allow(
                "ok", Optional.empty(), new Decision.Obligations(maxRows, timeout), Decision.Caching.NEVER);
    }

    private static Decision mask(Optional<Long> maxRows, Optional<Duration> timeout) {
        return new Decision.Mask(
                "ok",
                Optional.empty(),
                Map.of("*.t.c", new Decision.MaskRule("null", Map.of())),
                new Decision.Obligations(maxRows, timeout),
                Decision.Caching.NEVER);
    }
}
