package dev.agentgate.session;

/**
 * A {@code KILL [CONNECTION | QUERY] n} statement. {@code n} names a gateway session (see {@link
 * SessionRegistry#authorizeKill}), so the gateway translates it to that session's backend thread id.
 *
 * @param queryOnly true for {@code KILL QUERY}, which stops the running statement but keeps the
 *     connection
 * @param connectionId the id named by the client
 */
public record KillRequest(boolean queryOnly, long connectionId) {

    /** The statement to run on the backend, naming the backend thread instead. */
    public String toBackendStatement(long backendThreadId) {
        return (queryOnly ? "KILL QUERY " : "KILL CONNECTION ") + backendThreadId;
    }
}
