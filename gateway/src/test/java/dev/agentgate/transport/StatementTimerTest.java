package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StatementTimerTest {

    private static final Duration BOUND = Duration.ofMillis(100);

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final AtomicInteger expired = new AtomicInteger();
    private final StatementTimer timer = new StatementTimer(channel.eventLoop(), expired::incrementAndGet);

    StatementTimerTest() {
        channel.freezeTime();
    }

    private void after(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void firesOnceWhenTheResponseTakesLongerThanItsBound() {
        timer.start(BOUND);

        after(99);
        assertThat(expired).hasValue(0);
        after(1);
        assertThat(expired).hasValue(1);
        after(1000);
        assertThat(expired).hasValue(1);
    }

    @Test
    void neverFiresForAResponseThatEndedInTime() {
        timer.start(BOUND);
        after(50);
        timer.stop();

        after(1000);

        assertThat(expired).hasValue(0);
    }

    @Test
    void boundsTheNextStatementFromItsOwnStartThoughTheTaskWasArmedForAnEarlierOne() {
        timer.start(BOUND);
        after(60);
        timer.stop();
        timer.start(BOUND); // due at 160 ms; the task armed for 100 ms finds it not yet due

        after(40);
        assertThat(expired).as("at 100 ms").hasValue(0);
        after(59);
        assertThat(expired).as("at 159 ms").hasValue(0);
        after(1);
        assertThat(expired).as("at 160 ms").hasValue(1);
    }

    @Test
    void aShorterBoundAfterALongerOneFiresAtItsOwnDeadline() {
        timer.start(Duration.ofSeconds(10));
        timer.stop();
        timer.start(BOUND);

        after(100);

        assertThat(expired).hasValue(1);
    }

    @Test
    void keepsOneTaskArmedAcrossManyQuickStatementsAndFiresForNone() {
        for (int i = 0; i < 50; i++) {
            timer.start(BOUND);
            after(1);
            timer.stop();
        }

        assertThat(pendingTasks()).isEqualTo(1);
        after(1000);
        assertThat(expired).hasValue(0);
        assertThat(pendingTasks())
                .as("dropped once it found no response in flight")
                .isZero();
    }

    @Test
    void leavesNothingScheduledOnceClosed() {
        timer.start(BOUND);

        timer.close();
        after(1000);

        assertThat(expired).hasValue(0);
        assertThat(pendingTasks()).isZero();
    }

    /** Scheduled tasks not yet run: advancing far and counting what runs would run them, so ask the loop. */
    private int pendingTasks() {
        long next = channel.runScheduledPendingTasks();
        return next < 0 ? 0 : 1;
    }
}
