package dev.agentgate.transport.backend;

import static dev.agentgate.protocol.CapabilityFlags.*;

/**
 * Decides the capability flags agentgate sends to a backend.
 *
 * <p>Flags that change the shape of command responses are passed through exactly as the client asked, so the
 * backend's responses can be relayed to the client byte-for-byte. Everything agentgate cannot relay or must not
 * allow is never sent: {@code CLIENT_COMPRESS}, {@code CLIENT_LOCAL_FILES} (a LOAD DATA LOCAL request would let the
 * backend read the gateway's files), {@code CLIENT_QUERY_ATTRIBUTES} (it changes the COM_QUERY format the gateway
 * parses), {@code CLIENT_OPTIONAL_RESULTSET_METADATA},
 * {@code CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS} (an expired service password must fail, not open a sandbox session),
 * {@code CLIENT_NO_SCHEMA}, {@code CLIENT_ODBC}, and MariaDB's extended capabilities except
 * {@code MARIADB_CLIENT_EXTENDED_METADATA}, which the column definition codec understands and so is passed through
 * like the flags above. {@code CLIENT_SSL} is set only when the target's TLS mode leads to TLS.
 */
final class CapabilityNegotiation {

    /** Without these the handshake cannot be done the way agentgate does it (MySQL 4.1+ servers all have them). */
    static final long REQUIRED_FROM_SERVER = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH;

    /**
     * Used whenever the server offers them; they do not change what the client sees. {@code CLIENT_SESSION_TRACK}: the
     * gateway follows the session's sql_mode and character set from the server's reports (and strips them from the OK
     * packets of a client that did not ask for them).
     */
    static final long WHEN_SERVER_OFFERS =
            CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | CLIENT_CONNECT_ATTRS | CLIENT_SESSION_TRACK;

    /** Passed through as the client asked (and the server offers), because they shape what the client receives. */
    static final long AS_CLIENT_ASKED = CLIENT_LONG_PASSWORD
            | CLIENT_FOUND_ROWS
            | CLIENT_LONG_FLAG
            | CLIENT_IGNORE_SPACE
            | CLIENT_INTERACTIVE
            | CLIENT_TRANSACTIONS
            | CLIENT_MULTI_STATEMENTS
            | CLIENT_MULTI_RESULTS
            | CLIENT_PS_MULTI_RESULTS
            | CLIENT_DEPRECATE_EOF
            | MARIADB_CLIENT_EXTENDED_METADATA;

    private CapabilityNegotiation() {}

    static long negotiate(String target, long clientFlags, long serverFlags, boolean useTls, boolean withDatabase)
            throws BackendConnectException {
        if ((serverFlags & REQUIRED_FROM_SERVER) != REQUIRED_FROM_SERVER) {
            throw new BackendConnectException(
                    "target '" + target + "' does not support the MySQL 4.1 protocol with pluggable authentication");
        }
        requireIfAsked(target, clientFlags, serverFlags, CLIENT_DEPRECATE_EOF, "CLIENT_DEPRECATE_EOF");
        requireIfAsked(
                target, clientFlags, serverFlags, MARIADB_CLIENT_EXTENDED_METADATA, "MARIADB_CLIENT_EXTENDED_METADATA");
        long flags = REQUIRED_FROM_SERVER
                | (serverFlags & WHEN_SERVER_OFFERS)
                | (clientFlags & serverFlags & AS_CLIENT_ASKED);
        if (useTls) {
            flags |= CLIENT_SSL;
        }
        if (withDatabase) {
            flags |= CLIENT_CONNECT_WITH_DB;
        }
        return flags;
    }

    /** A flag that changes response formats, asked for but not offered, would leave the client misreading them. */
    private static void requireIfAsked(String target, long clientFlags, long serverFlags, long flag, String name)
            throws BackendConnectException {
        if (has(clientFlags, flag) && !has(serverFlags, flag)) {
            throw new BackendConnectException("target '" + target + "' does not support " + name
                    + ", which the client requested; reconnect without it");
        }
    }
}
