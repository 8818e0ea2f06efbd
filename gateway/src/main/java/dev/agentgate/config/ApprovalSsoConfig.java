package dev.agentgate.config;

import java.net.URI;
import java.util.Objects;

/**
 * How approvers sign in to the approval page ({@code approval.sso}): the company's OIDC issuer, this gateway's
 * client registration there, and the page's callback, whose origin is also where approval links point.
 */
public record ApprovalSsoConfig(URI issuer, String clientId, String clientSecret, URI redirectUri) {
    public ApprovalSsoConfig {
        Objects.requireNonNull(issuer, "approval.sso.issuer is required");
        Objects.requireNonNull(clientId, "approval.sso.client_id is required");
        Objects.requireNonNull(clientSecret, "approval.sso.client_secret is required");
        Objects.requireNonNull(redirectUri, "approval.sso.redirect_uri is required");
    }

    /** Scheme, host and port of the callback: where approvers' browsers reach the admin listener. */
    public URI pageBase() {
        return URI.create(redirectUri.getScheme() + "://" + redirectUri.getRawAuthority());
    }

    /** Whether the page is served over HTTPS, so its cookies can be marked Secure. */
    public boolean secure() {
        return "https".equalsIgnoreCase(redirectUri.getScheme());
    }
}
