package dev.agentgate.recording;

import java.time.Instant;
import java.util.Objects;

/**
 * One session as the session index knows it: who, where, when, how much, and whether its recording is whole.
 *
 * @param endedAt null while the session runs
 * @param endReason why it ended ({@code client_quit}, {@code killed}, ...), null while it runs
 * @param statements commands recorded
 * @param refused commands the gateway refused
 * @param status {@link #ACTIVE}, {@link #ENDED}, {@link #INCOMPLETE} (the recording has gaps), {@link #FAILED} (its
 *     recording could not be written) or {@link #INTERRUPTED} (the gateway stopped without ending it)
 */
public record SessionSummary(
        String sessionId,
        String issuer,
        String subject,
        String target,
        String gatewayInstance,
        Instant startedAt,
        Instant endedAt,
        String endReason,
        long statements,
        long refused,
        String status) {

    public static final String ACTIVE = "active";
    public static final String ENDED = "ended";
    public static final String INCOMPLETE = "incomplete";
    public static final String FAILED = "failed";
    public static final String INTERRUPTED = "interrupted";

    public SessionSummary {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(status, "status");
    }

    public SessionSummary counted(boolean wasRefused) {
        return new SessionSummary(
                sessionId,
                issuer,
                subject,
                target,
                gatewayInstance,
                startedAt,
                endedAt,
                endReason,
                statements + 1,
                refused + (wasRefused ? 1 : 0),
                status);
    }

    /** With {@code newStatus}, except that a recording once incomplete or failed stays so. */
    public SessionSummary withStatus(String newStatus) {
        boolean damaged = status.equals(INCOMPLETE) || status.equals(FAILED);
        String kept = damaged && (newStatus.equals(ENDED) || newStatus.equals(ACTIVE)) ? status : newStatus;
        return new SessionSummary(
                sessionId,
                issuer,
                subject,
                target,
                gatewayInstance,
                startedAt,
                endedAt,
                endReason,
                statements,
                refused,
                kept);
    }

    public SessionSummary ended(Instant at, String reason) {
        return new SessionSummary(
                        sessionId,
                        issuer,
                        subject,
                        target,
                        gatewayInstance,
                        startedAt,
                        at,
                        reason,
                        statements,
                        refused,
                        status)
                .withStatus(ENDED);
    }
}
