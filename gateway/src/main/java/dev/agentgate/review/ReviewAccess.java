package dev.agentgate.review;

import dev.agentgate.admin.AdminRequest;
import dev.agentgate.identity.BrowserSessions;
import dev.agentgate.identity.Identity;
import dev.agentgate.identity.TokenValidator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Who is asking to review recordings: a bearer (an auditor's OIDC token, validated against the gateway's trusted
 * issuers, or the admin key), or a browser signed in on the sessions page. Anyone else is refused: 401 without
 * credentials or with a refused token, 403 for a valid token of someone who is not an auditor.
 */
public final class ReviewAccess {
    public static final String PAGE_COOKIE = "agentgate_review_session";

    /** What the check found. */
    public sealed interface Outcome permits Granted, Refused {}

    public record Granted(Reviewer reviewer) implements Outcome {}

    public record Refused(int status, String message) implements Outcome {}

    private final Auditors auditors;
    private final TokenValidator tokens;
    private final BrowserSessions<Reviewer> pageSessions;

    public ReviewAccess(Auditors auditors, TokenValidator tokens, BrowserSessions<Reviewer> pageSessions) {
        this.auditors = auditors;
        this.tokens = tokens;
        this.pageSessions = pageSessions;
    }

    public CompletableFuture<Outcome> check(AdminRequest request) {
        Optional<String> bearer = request.header("authorization")
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip());
        if (bearer.isPresent()) {
            return bearer(bearer.get());
        }
        Optional<BrowserSessions.SignedIn<Reviewer>> page = pageSessions.find(request.cookie(PAGE_COOKIE));
        if (page.isPresent()) {
            return done(new Granted(page.get().principal()));
        }
        return done(new Refused(
                401,
                "an auditor's OIDC token or the admin key is required (Authorization: Bearer <token or key>),"
                        + " or sign in on the sessions page"));
    }

    private CompletableFuture<Outcome> bearer(String credential) {
        if (auditors.isAdminKey(credential)) {
            return done(new Granted(Reviewer.adminKey(Reviewer.Via.API)));
        }
        return tokens.validate(credential).handle((identity, refused) -> {
            if (identity == null) {
                return new Refused(401, "token refused");
            }
            return admitted(identity, Reviewer.Via.API);
        });
    }

    /** The reviewer {@code identity} is when it is an auditor's, else a 403. */
    Outcome admitted(Identity identity, Reviewer.Via via) {
        return auditors.admits(identity)
                ? new Granted(new Reviewer(identity.issuer(), identity.subject(), via))
                : new Refused(403, identity.subject() + " is not an auditor (review.auditors)");
    }

    private static CompletableFuture<Outcome> done(Outcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}
