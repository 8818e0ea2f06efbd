package dev.agentgate.transport;

import dev.agentgate.session.SessionEvent.EndReason;

/**
 * Why one session ends, as its {@link dev.agentgate.session.SessionEvent.Ended} tells: the first reason given counts
 * (what follows it, such as the closed channels, is its consequence); a session nobody gave a reason for ended because
 * the client went away. Confined to the session's event loop.
 */
final class SessionEnding {

    private EndReason reason;
    private String detail;
    /** What ends the backend connection, when the server ends it for a reason the gateway knows of. */
    private EndReason backendReason;

    private String backendDetail;

    /** The session ends {@code why}, unless a reason was given before. */
    void endsBecause(EndReason why, String words) {
        if (reason == null && why != null) {
            reason = why;
            detail = words;
        }
    }

    /** Whatever ends the backend connection from now on is {@code why} (a {@code KILL CONNECTION} of it was sent). */
    void backendEndsBecause(EndReason why, String words) {
        backendReason = why;
        backendDetail = words;
    }

    /** The backend ended the session: closed its connection, or said it would. */
    void backendEnded() {
        if (backendReason != null) {
            endsBecause(backendReason, backendDetail);
        } else {
            endsBecause(EndReason.BACKEND_LOST, "the backend connection closed");
        }
    }

    EndReason reason() {
        return reason == null ? EndReason.CLIENT_DISCONNECTED : reason;
    }

    /** The words that went with {@link #reason()}, null when none. */
    String detail() {
        return detail;
    }
}
