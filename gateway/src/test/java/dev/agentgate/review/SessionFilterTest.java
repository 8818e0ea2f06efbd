package dev.agentgate.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the sessions API's query and {@code whatif --sessions} become a filter. */
class SessionFilterTest {

    @Test
    void noFieldsSelectEverySessionOnePageOfFiftyAtATime() {
        assertThat(SessionFilter.of(Map.of()))
                .isEqualTo(new SessionFilter(null, null, null, null, null, SessionFilter.DEFAULT_LIMIT));
    }

    @Test
    void anAgeIsCountedBackFromNow() {
        Instant since = SessionFilter.of(Map.of("since", "2h")).since();

        assertThat(Duration.between(since, Instant.now()))
                .isBetween(Duration.ofHours(2), Duration.ofHours(2).plusMinutes(1));
    }

    @Test
    void anInstantIsTakenAsWritten() {
        assertThat(SessionFilter.of(Map.of("until", "2026-01-31T12:00:00Z")).until())
                .isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
    }

    @Test
    void aTimeThatIsNeitherAnInstantNorAnAgeIsRefusedNamingTheField() {
        assertThatThrownBy(() -> SessionFilter.of(Map.of("since", "yesterday")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("since must be an ISO instant");
    }

    @Test
    void anUnknownFilterIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> SessionFilter.of(Map.of("user", "agent-7")))
                .hasMessage("unknown filter 'user'; use subject, target, since, until, action or limit");
    }

    @Test
    void aLimitOutsideOneToTwoHundredIsRefused() {
        assertThatThrownBy(() -> SessionFilter.of(Map.of("limit", "0"))).hasMessage("limit must be 1 to 200, was '0'");
    }

    @Test
    void theCommandLineFormIsCommaSeparatedKeyValuePairs() {
        assertThat(SessionFilter.of(SessionFilter.fieldsOf("subject=agent-7,action=deny")))
                .isEqualTo(new SessionFilter("agent-7", null, null, null, "deny", SessionFilter.DEFAULT_LIMIT));
    }

    @Test
    void aCommandLinePairWithoutAnEqualsSignIsRefused() {
        assertThatThrownBy(() -> SessionFilter.fieldsOf("subject=agent-7,deny"))
                .hasMessage("a filter is key=value[,key=value...]; 'deny' is not");
    }
}
