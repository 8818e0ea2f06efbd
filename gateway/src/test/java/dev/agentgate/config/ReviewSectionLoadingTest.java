package dev.agentgate.config;

import static dev.agentgate.config.ConfigFixture.ISSUER;
import static dev.agentgate.config.ConfigFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional review section: who may review recorded sessions. */
class ReviewSectionLoadingTest {
    private static final String KEY = "review-admin-key-0123456789abcdef0123";

    @TempDir
    Path dir;

    private ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(dir);
    }

    @Test
    void nobodyMayReviewWhenTheSectionIsAbsent() {
        assertThat(fixture.load(ISSUER + TARGET).review().anyone()).isFalse();
    }

    @Test
    void auditorsBySubjectAndGroupAndTheAdminKeyAreRead() {
        ReviewConfig review = fixture.load(ISSUER + TARGET
                        + "review:\n  auditors:\n    subjects: [alice]\n    groups: [auditors, security]\n"
                        + "  admin_key: \"" + KEY + "\"\n")
                .review();

        assertThat(review)
                .isEqualTo(new ReviewConfig(List.of("alice"), List.of("auditors", "security"), Optional.of(KEY)));
    }

    @Test
    void rejectsAnAdminKeyShorterThan32Bytes() {
        fixture.assertRejected(
                ISSUER + TARGET + "review:\n  admin_key: \"short\"\n", "review.admin_key: must be at least 32 bytes");
    }

    @Test
    void rejectsAMisspeltAuditorsKeyInsteadOfIgnoringIt() {
        fixture.assertRejected(
                ISSUER + TARGET + "review:\n  auditors:\n    subject: [alice]\n",
                "unknown key 'review.auditors.subject' (expected one of: subjects, groups)");
    }
}
