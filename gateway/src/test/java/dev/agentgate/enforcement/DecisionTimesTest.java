package dev.agentgate.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The decision-time histogram: fixed 1-2-5 buckets from 1 us to 10 s, counted as Prometheus counts them. */
class DecisionTimesTest {

    private final DecisionTimes times = new DecisionTimes();

    @Test
    void bucketBoundsRunInOneTwoFiveStepsFromOneMicrosecondToTenSeconds() {
        assertThat(times.snapshot().upperBoundsNanos())
                .startsWith(1_000L, 2_000L, 5_000L, 10_000L)
                .endsWith(1_000_000_000L, 2_000_000_000L, 5_000_000_000L, 10_000_000_000L)
                .hasSize(22)
                .isSorted();
    }

    @Test
    void aTimeEqualToABoundCountsInThatBoundsBucket() {
        times.record(2_000);

        DecisionTimes.Snapshot snapshot = times.snapshot();
        assertThat(snapshot.cumulativeCounts().subList(0, 3)).containsExactly(0L, 1L, 1L);
    }

    @Test
    void bucketCountsAreCumulativeAndTheSumIsTheTotalTime() {
        times.record(800); // <= 1 us
        times.record(1_500); // <= 2 us
        times.record(700_000); // <= 1 ms

        DecisionTimes.Snapshot snapshot = times.snapshot();
        assertThat(snapshot.cumulativeCounts().subList(0, 2)).containsExactly(1L, 2L);
        assertThat(snapshot.cumulativeCounts().get(snapshot.upperBoundsNanos().indexOf(500_000L)))
                .isEqualTo(2);
        assertThat(snapshot.cumulativeCounts().get(snapshot.upperBoundsNanos().indexOf(1_000_000L)))
                .isEqualTo(3);
        assertThat(snapshot.count()).isEqualTo(3);
        assertThat(snapshot.sumNanos()).isEqualTo(702_300);
    }

    @Test
    void aTimeBeyondTheLastBoundCountsOnlyInTheTotal() {
        times.record(30_000_000_000L);

        DecisionTimes.Snapshot snapshot = times.snapshot();
        assertThat(snapshot.cumulativeCounts()).allMatch(count -> count == 0);
        assertThat(snapshot.count()).isEqualTo(1);
    }

    @Test
    void aNegativeTimeFromAClockStepCountsAsZero() {
        times.record(-5_000);

        DecisionTimes.Snapshot snapshot = times.snapshot();
        assertThat(snapshot.cumulativeCounts().get(0)).isEqualTo(1);
        assertThat(snapshot.sumNanos()).isZero();
    }
}
