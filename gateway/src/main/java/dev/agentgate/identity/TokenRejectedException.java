package dev.agentgate.identity;

import java.util.Objects;

/**
 * A token was not accepted. {@link #getMessage()} names the check that failed and is safe to send to
 * the client; {@link #detail()} says more (the claim values, the URL that failed) and is for the log
 * only. Neither ever contains key material.
 */
public final class TokenRejectedException extends RuntimeException {

    /** The check that failed, with the text the client sees. */
    public enum Reason {
        MALFORMED("malformed token"),
        ALGORITHM_NOT_ALLOWED("algorithm not allowed"),
        ISSUER_NOT_TRUSTED("issuer not trusted"),
        UNKNOWN_SIGNING_KEY("unknown signing key"),
        SIGNATURE_INVALID("signature invalid"),
        EXPIRED("token expired"),
        NOT_YET_VALID("token not yet valid"),
        AUDIENCE_NOT_ACCEPTED("audience not accepted"),
        MISSING_CLAIM("missing required claim"),
        TYPE_NOT_ACCEPTED("token type not accepted"),
        LIFETIME_TOO_LONG("token lifetime longer than identity.max_token_lifetime allows"),
        KEYS_UNAVAILABLE("issuer signing keys unavailable"),
        BUSY("token validation busy, try again"),
        REJECTED("token rejected");

        private final String clientMessage;

        Reason(String clientMessage) {
            this.clientMessage = clientMessage;
        }

        public String clientMessage() {
            return clientMessage;
        }
    }

    private final Reason reason;
    private final String detail;

    public TokenRejectedException(Reason reason, String detail) {
        this(reason, reason.clientMessage(), detail, null);
    }

    public TokenRejectedException(Reason reason, String detail, Throwable cause) {
        this(reason, reason.clientMessage(), detail, cause);
    }

    private TokenRejectedException(Reason reason, String message, String detail, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    /** The claim is named in the client message because the client must add it to its token. */
    public static TokenRejectedException missingClaim(String claim, String detail) {
        String message = Reason.MISSING_CLAIM.clientMessage() + " '" + claim + "'";
        return new TokenRejectedException(Reason.MISSING_CLAIM, message, detail, null);
    }

    public Reason reason() {
        return reason;
    }

    /** Log-only explanation; may contain token claim values and URLs, never key material. */
    public String detail() {
        return detail;
    }
}
