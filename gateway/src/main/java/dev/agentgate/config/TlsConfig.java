package dev.agentgate.config;

import java.nio.file.Path;

/**
 * TLS offered to clients ({@code tls:} section). Both files or neither.
 *
 * @param certFile PEM certificate chain, or {@code null} when TLS is not offered
 * @param keyFile PEM private key (PKCS#8 or PKCS#1), or {@code null}
 * @param allowInsecureTokenLogin accept tokens over a plain connection (dev mode only)
 */
public record TlsConfig(Path certFile, Path keyFile, boolean allowInsecureTokenLogin) {

    /** No TLS offered, tokens only over TLS (so no token login at all). */
    public static TlsConfig disabled() {
        return new TlsConfig(null, null, false);
    }

    /** Whether a certificate and key are configured. */
    public boolean enabled() {
        return certFile != null && keyFile != null;
    }
}
