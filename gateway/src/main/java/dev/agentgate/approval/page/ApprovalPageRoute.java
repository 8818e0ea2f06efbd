package dev.agentgate.approval.page;

import dev.agentgate.admin.AdminRequest;
import dev.agentgate.admin.AdminResponse;
import dev.agentgate.admin.AdminRoute;
import dev.agentgate.admin.CrossSiteRequests;
import dev.agentgate.admin.VoteAnswers;
import dev.agentgate.approval.ApprovalDecisions;
import dev.agentgate.approval.Approver;
import dev.agentgate.approval.ApproverIdentities;
import dev.agentgate.approval.Verdict;
import dev.agentgate.identity.BrowserSessions;
import dev.agentgate.identity.OidcCodeFlow;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approval page behind signed links ({@code GET /approve/<id>?exp&sig}): approvers sign in with the company
 * issuer ({@code /approve/callback}), see the request and decide it with a CSRF-protected form
 * ({@code POST /approve/<id>}). Votes cast here carry strength {@code sso}; each link decides once.
 */
public final class ApprovalPageRoute implements AdminRoute {
    public static final String CALLBACK_PATH = SignedLinks.PATH_PREFIX + "callback";

    static final String SESSION_COOKIE = "agentgate_approval_session";
    static final String SIGN_IN_COOKIE = "agentgate_approval_sign_in";

    private static final Logger log = LoggerFactory.getLogger(ApprovalPageRoute.class);
    private static final String HTML = "text/html; charset=utf-8";
    private static final Map<String, String> PAGE_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer");

    private final SignedLinks links;
    private final OidcCodeFlow signIn;
    private final ApprovalDecisions decisions;
    private final boolean secureCookies;
    private final BrowserSessions<Approver> sessions = new BrowserSessions<>();

    public ApprovalPageRoute(
            SignedLinks links, OidcCodeFlow signIn, ApprovalDecisions decisions, boolean secureCookies) {
        this.links = links;
        this.signIn = signIn;
        this.decisions = decisions;
        this.secureCookies = secureCookies;
    }

    @Override
    public boolean serves(String path) {
        return path.startsWith(SignedLinks.PATH_PREFIX) && path.length() > SignedLinks.PATH_PREFIX.length();
    }

    @Override
    public CompletableFuture<AdminResponse> handle(AdminRequest request) {
        if (request.path().equals(CALLBACK_PATH)) {
            return "GET".equals(request.method()) ? signedIn(request) : notAllowed("GET");
        }
        String id = request.path().substring(SignedLinks.PATH_PREFIX.length());
        return switch (request.method()) {
            case "GET" -> show(id, request);
            case "POST" -> decide(id, request);
            default -> notAllowed("GET, POST");
        };
    }

    private CompletableFuture<AdminResponse> show(String id, AdminRequest request) {
        Map<String, String> query = request.queryParameters();
        Optional<String> refused = links.refusal(id, query.get("exp"), query.get("sig"));
        if (refused.isPresent()) {
            return page(403, "Approval link refused", refused.get());
        }
        Optional<BrowserSessions.SignedIn<Approver>> session = sessions.find(request.cookie(SESSION_COOKIE));
        if (session.isEmpty()) {
            OidcCodeFlow.Attempt attempt = OidcCodeFlow.Attempt.start();
            sessions.startSignIn(new BrowserSessions.SignIn(attempt, request.path() + "?" + request.query()));
            return signIn.authorizationUrl(attempt)
                    .thenApply(url -> redirect(
                            url.toString(),
                            cookie(SIGN_IN_COOKIE, attempt.state(), BrowserSessions.SIGN_IN_TIME.toSeconds())));
        }
        return decisions
                .find(id)
                .thenApply(record -> record.map(found -> new AdminResponse(
                                200,
                                HTML,
                                ApprovalPageHtml.request(
                                        found,
                                        session.get().principal().name(),
                                        query.get("exp"),
                                        query.get("sig"),
                                        session.get().csrfToken()),
                                PAGE_HEADERS))
                        .orElseGet(() -> html(404, "No such request", "No approval request " + id + " is known.")));
    }

    private CompletableFuture<AdminResponse> signedIn(AdminRequest request) {
        Map<String, String> query = request.queryParameters();
        String state = query.get("state");
        Optional<BrowserSessions.SignIn> pending = sessions.finishSignIn(state);
        if (pending.isEmpty()
                || !request.cookie(SIGN_IN_COOKIE).equals(Optional.ofNullable(state))
                || query.get("code") == null) {
            return page(
                    400,
                    "Sign-in refused",
                    "This sign-in is unknown, expired or was started in another browser; open the approval link again.");
        }
        return signIn.complete(pending.get().attempt(), query.get("code"))
                .thenApply(identity -> redirect(
                        pending.get().returnTo(),
                        cookie(
                                SESSION_COOKIE,
                                sessions.open(ApproverIdentities.of(identity, Approver.Via.SSO)),
                                BrowserSessions.SESSION_TIME.toSeconds())))
                .exceptionally(failure -> {
                    log.warn("approval page sign-in failed: {}", failure.toString());
                    return html(
                            401, "Sign-in failed", "The issuer's answer could not be verified; nothing was decided.");
                });
    }

    private CompletableFuture<AdminResponse> decide(String id, AdminRequest request) {
        Optional<String> crossSite = CrossSiteRequests.refusal(request);
        if (crossSite.isPresent()) {
            log.warn(
                    "approval page: a vote from another site refused ({}) from {}",
                    crossSite.get(),
                    request.clientAddress());
            return page(403, "Vote refused", "This form was not sent from the approval page; nothing was decided.");
        }
        Optional<BrowserSessions.SignedIn<Approver>> session = sessions.find(request.cookie(SESSION_COOKIE));
        if (session.isEmpty()) {
            return page(401, "Not signed in", "Open the approval link again to sign in.");
        }
        Map<String, String> form = request.form();
        if (!session.get().carries(form.get("csrf"))) {
            return page(403, "Vote refused", "This form was not issued to your session.");
        }
        Optional<String> refused = links.refusal(id, form.get("exp"), form.get("sig"));
        if (refused.isPresent()) {
            return page(403, "Approval link refused", refused.get());
        }
        Verdict verdict = switch (String.valueOf(form.get("decision"))) {
            case "approve" -> Verdict.APPROVE;
            case "deny" -> Verdict.DENY;
            default -> null;
        };
        if (verdict == null) {
            return page(400, "Vote refused", "Choose Approve or Deny.");
        }
        if (!links.useOnce(form.get("exp"), form.get("sig"))) {
            return page(403, "Approval link refused", "this link was already used");
        }
        return decisions
                .decide(id, session.get().principal(), verdict, request.clientAddress())
                .thenApply(result ->
                        html(VoteAnswers.status(result), "Approval request " + id, VoteAnswers.sentence(result)));
    }

    private String cookie(String name, String value, long maxAgeSeconds) {
        return name + "=" + value + "; Path=" + SignedLinks.PATH_PREFIX + "; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Lax" + (secureCookies ? "; Secure" : "");
    }

    private static AdminResponse redirect(String location, String setCookie) {
        return new AdminResponse(302, HTML, "", Map.of("Location", location, "Set-Cookie", setCookie));
    }

    private static AdminResponse html(int status, String title, String sentence) {
        return new AdminResponse(status, HTML, ApprovalPageHtml.message(title, sentence), PAGE_HEADERS);
    }

    private static CompletableFuture<AdminResponse> page(int status, String title, String sentence) {
        return CompletableFuture.completedFuture(html(status, title, sentence));
    }

    private static CompletableFuture<AdminResponse> notAllowed(String allowed) {
        return CompletableFuture.completedFuture(new AdminResponse(
                405, AdminResponse.JSON, "{\"error\":\"method not allowed\"}", Map.of("Allow", allowed)));
    }
}
