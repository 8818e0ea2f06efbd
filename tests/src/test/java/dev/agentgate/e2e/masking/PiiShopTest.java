package dev.agentgate.e2e.masking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The leak detector itself: what counts as clear PII in what a client received. */
class PiiShopTest {

    @Test
    void aHiddenPartInTheReceivedTextIsALeak() {
        assertThat(PiiShop.leaksIn("row: 857-31-0000")).contains("857-31");
    }

    @Test
    void aHiddenPartReversedAndWithoutSeparatorsIsALeak() {
        assertThat(PiiShop.leaksIn("value 66213 seen")).contains("66213");
    }

    @Test
    void aDecisionIdThatHappensToContainHiddenDigitsIsNotALeak() {
        assertThat(PiiShop.leaksIn("error 1142 (42000): (conn=854) Access denied by agentgate policy: pii: no"
                        + " [decision 662131df-c7b7-47dc-b91c-563588a0561f]"))
                .isEmpty();
    }
}
