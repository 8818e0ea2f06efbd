package dev.agentgate.session;

/** Another running gateway holds this instance id's lease in the fleet's state database: this one must not start. */
public final class InstanceTakenException extends IllegalStateException {
    InstanceTakenException(String message) {
        super(message);
    }
}
