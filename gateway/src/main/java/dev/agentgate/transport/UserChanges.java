package dev.agentgate.transport;

import dev.agentgate.identity.Identity;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.session.LoginDecision;
import dev.agentgate.session.SessionInfo;
import java.util.Map;

/**
 * The COM_CHANGE_USERs of one session's command phase, one {@link ChangeUser} at a time. Once the backend is reset for
 * the new identity, its prepared statements are gone, every later command is decided for the new identity, KILL is
 * authorised for it, the registry learns who it is, and the session lives no longer than the new token. Confined to
 * the session's event loop.
 */
final class UserChanges {

    private final GatewayContext gateway;
    private final ClientConnection connection;
    private final long capabilities;
    private final boolean secure;
    private final PreparedStatements prepared;
    private final PolicyCheckpoint policy;
    private final CommandFilter filter;
    private final SessionClosing closing;
    private final SessionEventEmitter events;
    private SessionInfo info;
    private ChangeUser changing;

    UserChanges(
            GatewayContext gateway,
            ClientConnection connection,
            SessionInfo info,
            long capabilities,
            boolean secure,
            PreparedStatements prepared,
            PolicyCheckpoint policy,
            CommandFilter filter,
            SessionClosing closing,
            SessionEventEmitter events) {
        this.gateway = gateway;
        this.connection = connection;
        this.info = info;
        this.capabilities = capabilities;
        this.secure = secure;
        this.prepared = prepared;
        this.policy = policy;
        this.filter = filter;
        this.closing = closing;
        this.events = events;
    }

    /** Whether a COM_CHANGE_USER is under way: the frames of both sides are its. */
    boolean isChanging() {
        return changing != null;
    }

    /** @return whether the change is over already (refused at once) */
    boolean start(MySQLFrame frame) {
        changing = new ChangeUser(
                gateway, connection, info.target(), policy.database(), policy.facts(), this::identityChanged);
        try {
            changing.start(frame, capabilities, secure);
        } finally {
            frame.release();
        }
        return isOver();
    }

    /** @return whether the change is over with this frame */
    boolean onClientFrame(MySQLFrame frame) {
        changing.onClientFrame(frame);
        return isOver();
    }

    /** @return whether the change is over with this frame */
    boolean onBackendFrame(MySQLFrame frame) {
        changing.onBackendFrame(frame);
        return isOver();
    }

    private boolean isOver() {
        if (changing != null && changing.isDone()) {
            changing = null;
            return true;
        }
        return false;
    }

    /**
     * The backend was reset for the new identity and tracked again: its prepared statements are gone, its SQL is read
     * in the mode the server reported, the registry learns who it is, and the recording shows the change.
     */
    private void identityChanged(Identity identity, LoginDecision decision, Map<String, String> trackedVariables) {
        prepared.clear();
        policy.lexingRestored(trackedVariables);
        policy.changeIdentity(identity);
        info = new SessionInfo(
                info.connectionId(),
                info.sessionId(),
                identity.issuer(),
                identity.subject(),
                info.target(),
                info.backendThreadId(),
                info.clientAddress(),
                info.startedAt());
        filter.sessionChanged(info);
        gateway.registry().register(info, closing);
        closing.closeAtTokenExpiry(identity.expiresAt());
        events.identityChanged(identity, decision);
    }
}
