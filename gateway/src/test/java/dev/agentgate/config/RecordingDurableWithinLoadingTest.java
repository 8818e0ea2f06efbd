package dev.agentgate.config;

import static dev.agentgate.config.ConfigFixture.ISSUER;
import static dev.agentgate.config.ConfigFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code recording.durable_within}: how long the end of a response waits for the statement's record. */
class RecordingDurableWithinLoadingTest {
    @TempDir
    Path dir;

    private ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(dir);
    }

    @Test
    void aResponseEndWaitsFiveSecondsForItsRecordByDefault() {
        RecordingConfig recording = fixture.load(ISSUER + TARGET + "recording:\n  on_failure: refuse\n")
                .recording();

        assertThat(recording.durableWithin()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void readsTheWaitForTheRecord() {
        RecordingConfig recording = fixture.load(ISSUER + TARGET + "recording:\n  durable_within: 250ms\n")
                .recording();

        assertThat(recording.durableWithin()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void refusesAWaitOfZero() {
        assertThatThrownBy(() -> fixture.load(ISSUER + TARGET + "recording:\n  durable_within: 0s\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("durable_within")
                .hasMessageContaining("must be longer than 0");
    }
}
