package dev.agentgate.transport.backend;

import io.netty.channel.Channel;

/**
 * An authenticated backend connection, ready for commands. The channel's pipeline holds only the frame codec (and
 * the SslHandler when {@code encrypted}); auto-read is off so the relay decides when to read.
 *
 * @param connectionId     the backend's thread id (what {@code KILL} on the backend takes)
 * @param capabilityFlags  the flags negotiated with the backend (see {@link CapabilityNegotiation})
 * @param statusFlags      server status from the final OK of the handshake
 * @param characterSet     the server's default collation id from its greeting
 */
public record BackendConnection(Channel channel, String serverVersion, long connectionId, long capabilityFlags,
                                int statusFlags, int characterSet, boolean encrypted) {
}
