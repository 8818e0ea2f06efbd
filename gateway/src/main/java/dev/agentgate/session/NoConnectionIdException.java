package dev.agentgate.session;

/** No connection id can be given out now: the client is refused with this message. */
public final class NoConnectionIdException extends RuntimeException {

    public NoConnectionIdException(String message) {
        super(message);
    }
}
