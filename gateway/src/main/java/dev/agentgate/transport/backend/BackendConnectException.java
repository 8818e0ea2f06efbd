package dev.agentgate.transport.backend;

import dev.agentgate.protocol.ErrPacket;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Connecting or authenticating to a target failed. {@link #getMessage()} is safe to show the client (it names the
 * target, never its host, user or password); the cause carries the detail, which is only logged.
 */
public final class BackendConnectException extends Exception {

    /** ER_ACCESS_DENIED_ERROR, ER_ACCESS_DENIED_NO_PASSWORD_ERROR, ER_MUST_CHANGE_PASSWORD_LOGIN. */
    private static final Set<Integer> CREDENTIAL_ERRORS = Set.of(1045, 1698, 1862);

    /** The server's own error for a login it refused for another reason than credentials, else null. */
    private final transient ErrPacket serverError;

    public BackendConnectException(String clientSafeMessage) {
        this(clientSafeMessage, (ErrPacket) null);
    }

    private BackendConnectException(String clientSafeMessage, ErrPacket serverError) {
        super(clientSafeMessage);
        this.serverError = serverError;
    }

    public BackendConnectException(String clientSafeMessage, Throwable detail) {
        super(clientSafeMessage, detail);
        this.serverError = null;
    }

    /**
     * The error to answer the client with, when the server's own code says more than the gateway's 1105: a login the
     * server refused for a reason of the client's (an unknown database, say) keeps the server's code and SQLSTATE.
     * Refused credentials do not: they are the gateway's service account, and a 1045 would tell the client that its
     * own token was wrong.
     */
    public Optional<ErrPacket> clientError() {
        return Optional.ofNullable(serverError)
                .map(err -> new ErrPacket(err.errorCode(), err.sqlState(), getMessage()));
    }

    static BackendConnectException unreachable(String target, Throwable cause) {
        return new BackendConnectException(
                "target '" + target + "' unreachable: " + connectFailureReason(cause), cause);
    }

    /** An ERR in answer to the login: bad credentials (access denied, expired password) or e.g. an unknown schema. */
    static BackendConnectException loginRefused(String target, ErrPacket err) {
        boolean credentials = CREDENTIAL_ERRORS.contains(err.errorCode());
        String what = credentials ? "rejected the gateway's credentials" : "refused the login";
        return new BackendConnectException(
                "target '" + target + "' " + what + ": " + err.message(), credentials ? null : err);
    }

    static BackendConnectException protocolError(String target, String what, Throwable cause) {
        return new BackendConnectException("target '" + target + "' " + what, cause);
    }

    static BackendConnectException tlsFailed(String target, String host, Throwable cause) {
        return new BackendConnectException(
                "target '" + target + "' TLS handshake failed: " + tlsFailureReason(host, cause), cause);
    }

    private static String connectFailureReason(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "connect timed out";
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host";
        }
        if (cause instanceof ConnectException) {
            String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            return message.contains("refused") ? "connection refused" : "cannot connect";
        }
        return "cannot connect";
    }

    private static String tlsFailureReason(String host, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof CertificateException
                    && (message.contains("subject alternative") || message.contains("No name matching"))) {
                return "the server certificate does not match host '" + host + "'";
            }
            if (t instanceof CertificateException
                    || t instanceof java.security.cert.CertPathValidatorException
                    || t instanceof java.security.cert.CertPathBuilderException) {
                return "the server certificate is not trusted by the configured CA";
            }
        }
        return "TLS negotiation with the server failed";
    }
}
