package dev.agentgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class HandshakeBudgetTest {

    private static InetAddress address(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    }

    @Test
    void oneAddressAtItsLimitDoesNotKeepOtherAddressesOut() throws Exception {
        HandshakeBudget budget = new HandshakeBudget(10, 2);
        budget.tryAcquire(address(1));
        budget.tryAcquire(address(1));

        assertThat(budget.tryAcquire(address(1))).isEmpty();
        assertThat(budget.tryAcquire(address(2))).isPresent();
    }

    @Test
    void refusesEveryAddressWhenTheTotalIsReached() throws Exception {
        HandshakeBudget budget = new HandshakeBudget(2, 2);
        budget.tryAcquire(address(1));
        budget.tryAcquire(address(2));

        assertThat(budget.tryAcquire(address(3))).isEmpty();
        assertThat(budget.inProgress()).isEqualTo(2);
    }

    @Test
    void aSlotReleasedTwiceIsGivenBackOnce() throws Exception {
        HandshakeBudget budget = new HandshakeBudget(10, 2);
        HandshakeBudget.Slot slot = budget.tryAcquire(address(1)).orElseThrow();
        budget.tryAcquire(address(1));
        slot.release();
        slot.release();

        assertThat(budget.inProgress()).isEqualTo(1);
        assertThat(budget.inProgressFrom(address(1))).isEqualTo(1);
    }

    @Test
    void aRefusedAcquireLeavesTheCountsAsTheyWere() throws Exception {
        HandshakeBudget budget = new HandshakeBudget(10, 1);
        budget.tryAcquire(address(1));
        budget.tryAcquire(address(1));

        assertThat(budget.inProgress()).isEqualTo(1);
        assertThat(budget.inProgressFrom(address(1))).isEqualTo(1);
    }
}
