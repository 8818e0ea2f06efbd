package dev.agentgate.review;

import java.time.Instant;
import java.util.Objects;

/**
 * One look at a recording: who watched which session, when, through what, and from where.
 *
 * @param from the client address of the API or page request, the host for the CLI
 */
public record Playback(String sessionId, Reviewer reviewer, String from, Instant at) {
    public Playback {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(reviewer, "reviewer");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(at, "at");
    }
}
