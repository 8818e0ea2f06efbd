package dev.agentgate.config;

import java.util.List;

/** Reads the {@code review} section: {@code auditors.subjects}, {@code auditors.groups}, {@code admin_key}. */
final class ReviewSectionReader {
    private ReviewSectionReader() {}

    static ReviewConfig review(ConfigNode root) {
        if (!root.has("review")) {
            return ReviewConfig.nobody();
        }
        ConfigNode review = root.section("review");
        review.rejectUnknownKeys(List.of("auditors", "admin_key"));
        ConfigNode auditors = review.section("auditors");
        auditors.rejectUnknownKeys(List.of("subjects", "groups"));
        try {
            return new ReviewConfig(
                    auditors.stringList("subjects", List.of()),
                    auditors.stringList("groups", List.of()),
                    review.secret("admin_key").filter(key -> !key.isEmpty()));
        } catch (IllegalArgumentException tooShort) {
            throw review.error("admin_key", "must be at least " + ReviewConfig.MIN_ADMIN_KEY_BYTES + " bytes");
        }
    }
}
