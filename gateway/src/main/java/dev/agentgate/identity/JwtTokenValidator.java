package dev.agentgate.identity;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.agentgate.config.DevIssuerConfig;
import dev.agentgate.config.IdentityConfig;
import dev.agentgate.config.IssuerConfig;
import dev.agentgate.identity.TokenRejectedException.Reason;
import java.io.IOException;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates OIDC JWTs against the issuers of {@link IdentityConfig}. The cheap checks (well-formed,
 * signed, issuer trusted, algorithm allowed) run on the caller's thread, so an untrusted issuer is
 * refused before any network call; signature and claims verification, which may fetch keys, run on a
 * small pool of daemon workers of the token's issuer: each issuer has its own, so an issuer that hangs delays
 * only its own tokens. The returned future completes with a {@link TokenRejectedException}
 * itself (not wrapped) when the token is refused.
 */
public final class JwtTokenValidator implements TokenValidator, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JwtTokenValidator.class);

    /** Larger "passwords" are not parsed at all: parsing runs on the caller's (event loop) thread. */
    public static final int MAX_TOKEN_CHARS = 64 * 1024;

    private static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

    private final Map<String, TrustedIssuer> issuers;
    private final Map<String, ExecutorService> workersByIssuer;

    private JwtTokenValidator(Map<String, TrustedIssuer> issuers, Map<String, ExecutorService> workersByIssuer) {
        this.issuers = Map.copyOf(issuers);
        this.workersByIssuer = Map.copyOf(workersByIssuer);
    }

    public static JwtTokenValidator create(IdentityConfig config, boolean devMode) {
        return create(config, devMode, ValidatorOptions.defaults());
    }

    /**
     * @throws IllegalArgumentException if an issuer is misconfigured or the dev issuer key cannot be read
     */
    public static JwtTokenValidator create(IdentityConfig config, boolean devMode, ValidatorOptions options) {
        Objects.requireNonNull(config, "config");
        if (config.keysCacheTtl() != null) {
            options = options.withJwksTimings(config.keysCacheTtl(), options.jwksRefreshMinInterval());
        }
        Duration skew = Objects.requireNonNullElse(config.clockSkew(), DEFAULT_CLOCK_SKEW);
        Map<String, TrustedIssuer> issuers = new HashMap<>();
        Map<String, ExecutorService> workers = new HashMap<>();
        if (config.devIssuer() != null) {
            if (devMode) {
                issuers.put(DevIssuer.ISSUER, devIssuer(config.devIssuer(), skew, config.maxTokenLifetime(), options));
                workers.put(DevIssuer.ISSUER, ValidationWorkers.create(options));
            } else {
                log.warn("identity.dev_issuer is configured but ignored: dev_mode is false");
            }
        }
        for (IssuerConfig issuer : Objects.requireNonNullElse(config.issuers(), List.<IssuerConfig>of())) {
            if (issuers.containsKey(issuer.issuer())) {
                throw new IllegalArgumentException("issuer " + issuer.issuer() + " is configured twice");
            }
            ExecutorService issuerWorkers = ValidationWorkers.create(options);
            RemoteKeys remoteKeys = new RemoteKeys(options, issuerWorkers, config.keysOutageTolerance());
            var keys = issuer.jwksUri() == null
                    ? remoteKeys.forIssuer(issuer.issuer())
                    : remoteKeys.forJwksUri(toUrl(issuer));
            var claims = new IssuerClaimsVerifier(
                    issuer.issuer(),
                    issuer.audiences(),
                    issuer.requiredClaims(),
                    skew,
                    config.maxTokenLifetime(),
                    options.clock());
            issuers.put(issuer.issuer(), new TrustedIssuer(issuer.issuer(), issuer.algorithms(), keys, claims));
            workers.put(issuer.issuer(), issuerWorkers);
        }
        return new JwtTokenValidator(issuers, workers);
    }

    private static URL toUrl(IssuerConfig issuer) {
        try {
            return issuer.jwksUri().toURL();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "issuer " + issuer.issuer() + ": jwks_uri " + issuer.jwksUri() + " is not a URL", e);
        }
    }

    private static TrustedIssuer devIssuer(
            DevIssuerConfig dev, Duration skew, Duration maxLifetime, ValidatorOptions options) {
        DevIssuer devIssuer;
        try {
            devIssuer = DevIssuer.fromKeyFile(dev.keyFile(), options.clock());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "identity.dev_issuer.key_file: cannot use " + dev.keyFile() + ": " + e.getMessage(), e);
        }
        var keys = new ImmutableJWKSet<>(new JWKSet(devIssuer.publicKey()));
        var claims = new IssuerClaimsVerifier(
                DevIssuer.ISSUER, dev.audiences(), List.of(), skew, maxLifetime, options.clock());
        return new TrustedIssuer(DevIssuer.ISSUER, List.of(DevIssuer.ALGORITHM.getName()), keys, claims);
    }

    @Override
    public CompletableFuture<Identity> validate(String token) {
        try {
            SignedJWT jwt = parseSigned(token);
            TrustedIssuer issuer = trustedIssuerOf(jwt);
            issuer.checkAlgorithm(jwt.getHeader().getAlgorithm());
            Verification verification = new Verification(issuer, jwt, new CompletableFuture<>());
            workersByIssuer.get(issuer.issuer()).execute(verification);
            return verification.result();
        } catch (TokenRejectedException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(
                    new TokenRejectedException(Reason.BUSY, "validation queue full or validator closed", e));
        }
    }

    /** One queued verification; completes its future whatever happens, so no caller waits forever. */
    private record Verification(TrustedIssuer issuer, SignedJWT jwt, CompletableFuture<Identity> result)
            implements Runnable {

        @Override
        public void run() {
            try {
                result.complete(issuer.verify(jwt));
            } catch (TokenRejectedException e) {
                result.completeExceptionally(e);
            } catch (RuntimeException e) {
                // Fail closed on anything unforeseen.
                result.completeExceptionally(
                        new TokenRejectedException(Reason.REJECTED, "issuer " + issuer.issuer() + ": " + e, e));
            } finally {
                // An Error still propagates, but the caller gets its answer first.
                if (!result.isDone()) {
                    result.completeExceptionally(new TokenRejectedException(Reason.REJECTED, "verification aborted"));
                }
            }
        }

        void cancel() {
            result.completeExceptionally(new TokenRejectedException(Reason.BUSY, "validator closed"));
        }
    }

    private static SignedJWT parseSigned(String token) {
        if (token == null || token.isBlank()) {
            throw new TokenRejectedException(Reason.MALFORMED, "empty token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new TokenRejectedException(Reason.MALFORMED, "token of " + token.length() + " chars");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token.strip());
        } catch (ParseException e) {
            throw new TokenRejectedException(Reason.MALFORMED, "unparsable token: " + e.getMessage(), e);
        }
        if (jwt instanceof SignedJWT signed) {
            return signed;
        }
        String kind = jwt instanceof PlainJWT ? "unsecured JWT (alg none)" : "encrypted JWT";
        throw new TokenRejectedException(Reason.ALGORITHM_NOT_ALLOWED, kind);
    }

    private TrustedIssuer trustedIssuerOf(SignedJWT jwt) {
        String issuer;
        try {
            issuer = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw new TokenRejectedException(Reason.MALFORMED, "unparsable claims: " + e.getMessage(), e);
        }
        if (issuer == null) {
            throw TokenRejectedException.missingClaim("iss", "token without iss");
        }
        TrustedIssuer trusted = issuers.get(issuer);
        if (trusted == null) {
            throw new TokenRejectedException(Reason.ISSUER_NOT_TRUSTED, "untrusted issuer " + issuer);
        }
        return trusted;
    }

    /** Stops the workers; validations still queued complete as rejected. */
    @Override
    public void close() {
        for (ExecutorService workers : workersByIssuer.values()) {
            for (Runnable pending : workers.shutdownNow()) {
                if (pending instanceof Verification verification) {
                    verification.cancel();
                }
            }
        }
    }
}
