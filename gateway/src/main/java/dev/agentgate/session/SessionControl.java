package dev.agentgate.session;

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
     */
    void closeWhenIdle(String reason);

    /** Ends the session now, whatever it is doing. */
    void closeNow(String reason);

    /** True while a statement of this session is running on the backend. */
    boolean isBusy();
}
