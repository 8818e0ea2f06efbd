package dev.agentgate.state;

/** The state database could not be reached or refused the work; whatever depended on it is refused. */
public final class StateUnavailableException extends RuntimeException {

    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
