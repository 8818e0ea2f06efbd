package dev.agentgate.approval.page;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.agentgate.approval.Approver;
import dev.agentgate.identity.OidcCodeFlow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

/**
 * The approval page's memory of browsers: sign-ins under way (by OIDC {@code state}, ten minutes to come back)
 * and signed-in approvers (by a random session id in an HttpOnly cookie, for half an hour), each with the CSRF
 * token its forms must carry back. Kept in memory: a gateway restart signs everyone out, which costs one more
 * sign-in and never a wrong vote.
 */
final class PageSessions {
    static final Duration SIGN_IN_TIME = Duration.ofMinutes(10);
    static final Duration SESSION_TIME = Duration.ofMinutes(30);

    /** A sign-in under way: the PKCE attempt and the link to go back to. */
    record SignIn(OidcCodeFlow.Attempt attempt, String returnTo) {}

    /** A signed-in approver and the CSRF token of their forms. */
    record SignedIn(Approver approver, String csrfToken) {
        boolean carries(String token) {
            return token != null
                    && MessageDigest.isEqual(
                            csrfToken.getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private final Cache<String, SignIn> signIns = Caffeine.newBuilder()
            .expireAfterWrite(SIGN_IN_TIME)
            .maximumSize(10_000)
            .build();
    private final Cache<String, SignedIn> sessions = Caffeine.newBuilder()
            .expireAfterWrite(SESSION_TIME)
            .maximumSize(10_000)
            .build();

    void startSignIn(SignIn signIn) {
        signIns.put(signIn.attempt().state(), signIn);
    }

    /** The sign-in {@code state} belongs to, once: a second return with the same state finds nothing. */
    Optional<SignIn> finishSignIn(String state) {
        return state == null
                ? Optional.empty()
                : Optional.ofNullable(signIns.asMap().remove(state));
    }

    /** @return the new session's id */
    String open(Approver approver) {
        String id = OidcCodeFlow.random();
        sessions.put(id, new SignedIn(approver, OidcCodeFlow.random()));
        return id;
    }

    Optional<SignedIn> find(Optional<String> sessionId) {
        return sessionId.map(sessions::getIfPresent);
    }
}
