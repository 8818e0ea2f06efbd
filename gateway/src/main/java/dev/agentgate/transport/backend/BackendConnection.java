package dev.agentgate.transport.backend;

import io.netty.channel.Channel;
import java.util.Map;

/**
 * An authenticated backend connection, ready for commands. The channel's pipeline holds only the frame codec (and
 * the SslHandler when {@code encrypted}); auto-read is off so the relay decides when to read.
 *
 * @param connectionId     the backend's thread id (what {@code KILL} on the backend takes)
 * @param capabilityFlags  the flags negotiated with the backend (see {@link CapabilityNegotiation})
 * @param statusFlags      server status from the final OK of the handshake
 * @param characterSet     the server's default collation id from its greeting
 * @param sessionVariables what the server reported of the variables it tracks for the gateway (sql_mode,
 *                         character_set_client, session_track_system_variables) right after login; empty when it does
 *                         not track session state ({@code CLIENT_SESSION_TRACK} not negotiated)
 */
public record BackendConnection(
        Channel channel,
        String serverVersion,
        long connectionId,
        long capabilityFlags,
        int statusFlags,
        int characterSet,
        boolean encrypted,
        Map<String, String> sessionVariables) {

    public BackendConnection {
        sessionVariables = Map.copyOf(sessionVariables);
    }

    /** A connection without reported session variables. */
    public BackendConnection(
            Channel channel,
            String serverVersion,
            long connectionId,
            long capabilityFlags,
            int statusFlags,
            int characterSet,
            boolean encrypted) {
        this(channel, serverVersion, connectionId, capabilityFlags, statusFlags, characterSet, encrypted, Map.of());
    }
}
