package dev.agentgate.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

/**
 * A page's memory of browsers that sign in with {@link OidcCodeFlow}: sign-ins under way (by OIDC {@code state},
 * ten minutes to come back) and signed-in people (by a random session id in an HttpOnly cookie, for half an hour),
 * each with the CSRF token its forms must carry back. Kept in memory: a gateway restart signs everyone out, which
 * costs one more sign-in and never a wrong action.
 *
 * @param <P> who a signed-in browser is (an approver, a reviewer)
 */
public final class BrowserSessions<P> {
    public static final Duration SIGN_IN_TIME = Duration.ofMinutes(10);
    public static final Duration SESSION_TIME = Duration.ofMinutes(30);

    /** A sign-in under way: the PKCE attempt and the page to go back to. */
    public record SignIn(OidcCodeFlow.Attempt attempt, String returnTo) {}

    /** A signed-in person and the CSRF token of their forms. */
    public record SignedIn<P>(P principal, String csrfToken) {
        public boolean carries(String token) {
            return token != null
                    && MessageDigest.isEqual(
                            csrfToken.getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private final Cache<String, SignIn> signIns = Caffeine.newBuilder()
            .expireAfterWrite(SIGN_IN_TIME)
            .maximumSize(10_000)
            .build();
    private final Cache<String, SignedIn<P>> sessions = Caffeine.newBuilder()
            .expireAfterWrite(SESSION_TIME)
            .maximumSize(10_000)
            .build();

    public void startSignIn(SignIn signIn) {
        signIns.put(signIn.attempt().state(), signIn);
    }

    /** The sign-in {@code state} belongs to, once: a second return with the same state finds nothing. */
    public Optional<SignIn> finishSignIn(String state) {
        return state == null
                ? Optional.empty()
                : Optional.ofNullable(signIns.asMap().remove(state));
    }

    /** @return the new session's id */
    public String open(P principal) {
        String id = OidcCodeFlow.random();
        sessions.put(id, new SignedIn<>(principal, OidcCodeFlow.random()));
        return id;
    }

    public Optional<SignedIn<P>> find(Optional<String> sessionId) {
        return sessionId.map(sessions::getIfPresent);
    }
}
