package dev.agentgate.session;

import java.time.Instant;

/**
 * The registry's handle on a live session, implemented by the transport. Calls may come from any
 * thread; implementations hop onto the session's own executor.
 */
public interface SessionControl {

    /**
     * Ends the session as soon as no statement is running: at once when idle, otherwise right after
     * the running statement's response has reached the client.
     *
     * @param reason said to the client in the closing error packet and written to the log
     * @param why what the session's {@link SessionEvent.Ended} names as its end
     */
    void closeWhenIdle(String reason, SessionEvent.EndReason why);

    /** As {@link #closeWhenIdle(String, SessionEvent.EndReason)} for the gateway's shutdown. */
    default void closeWhenIdle(String reason) {
        closeWhenIdle(reason, SessionEvent.EndReason.GATEWAY_SHUTDOWN);
    }

    /** Ends the session now, whatever it is doing. */
    void closeNow(String reason, SessionEvent.EndReason why);

    /** As {@link #closeNow(String, SessionEvent.EndReason)} for the gateway's shutdown. */
    default void closeNow(String reason) {
        closeNow(reason, SessionEvent.EndReason.GATEWAY_SHUTDOWN);
    }

    /**
     * Just-in-time access: the session lives no longer than {@code deadline}. A session has several such limits (the
     * token's expiry, a policy's {@code max_session_s}, the end of an approval's grant); the earliest one ends it. At
     * the deadline a running statement is cancelled on the backend (KILL QUERY) and its response cut short with an
     * error saying {@code message}; an idle session is closed with that error at once. A deadline later than one
     * already set changes nothing; one in the past ends the session now.
     *
     * @param why what the session's {@link SessionEvent.Ended} names as its end
     * @param message what the client is told, e.g. {@code "token expired"}
     */
    void limitTo(Instant deadline, SessionEvent.EndReason why, String message);

    /**
     * Whatever ends the session's backend connection from now on is {@code why}: a {@code KILL CONNECTION} of it was
     * allowed and sent (the server, not the gateway, ends it).
     */
    default void backendEndsBecause(SessionEvent.EndReason why, String detail) {}

    /**
     * People decided the approval the session's command waits for (called by the approval code, on any thread,
     * before the command's verdict completes): the session's {@link SessionEvent.ApprovalResolved} is emitted, in
     * order, for the command being decided.
     */
    default void approvalResolved(String requestId, String outcome, java.util.List<String> approvers) {}

    /** True while a statement of this session is running on the backend. */
    boolean isBusy();
}
