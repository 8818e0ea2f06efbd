package dev.agentgate.transport;

import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.OkPacket;
import dev.agentgate.protocol.ServerStatusFlags;
import java.util.Map;

/**
 * The client's COM_RESET_CONNECTION, as pools send it between borrowers: the backend is reset and its session
 * tracking set up again ({@link BackendReset}) before the client hears the OK, so the next command is read in the
 * reset session's mode. While a reset runs, the backend's frames are its. Confined to the session's event loop.
 */
final class ConnectionResets {

    private final ClientConnection connection;
    private final long capabilities;
    private final PreparedStatements prepared;
    private final PolicyCheckpoint policy;
    private BackendReset resetting;

    ConnectionResets(
            ClientConnection connection, long capabilities, PreparedStatements prepared, PolicyCheckpoint policy) {
        this.connection = connection;
        this.capabilities = capabilities;
        this.prepared = prepared;
        this.policy = policy;
    }

    boolean isResetting() {
        return resetting != null;
    }

    /** Resets the backend in the client's place; the client's answer goes out with {@code responseSequenceId}. */
    void start(int responseSequenceId) {
        resetting = new BackendReset(connection.backend(), capabilities, new BackendReset.Listener() {
            @Override
            public void reset(Map<String, String> trackedVariables, int statusFlags) {
                prepared.clear();
                policy.lexingRestored(trackedVariables);
                policy.succeeded();
                connection.send(clientOk(statusFlags), responseSequenceId);
            }

            @Override
            public void failed(ErrPacket error) {
                policy.failed();
                connection.send(error, responseSequenceId);
            }

            @Override
            public void untracked(String reason, int statusFlags) {
                prepared.clear();
                policy.succeeded();
                policy.lexingUntracked(reason);
                connection.send(clientOk(statusFlags), responseSequenceId);
            }
        });
        resetting.start();
    }

    /** @return whether the reset is over with this frame */
    boolean onBackendFrame(MySQLFrame frame) {
        resetting.onBackendFrame(frame);
        if (resetting.isDone()) {
            resetting = null;
            connection.client().flush();
            return true;
        }
        return false;
    }

    /** The OK of a reset the gateway answers itself: the server's status, without state changes the client did not ask for. */
    private static OkPacket clientOk(int statusFlags) {
        return OkPacket.of(0, 0, statusFlags & ~ServerStatusFlags.SERVER_SESSION_STATE_CHANGED, 0);
    }
}
