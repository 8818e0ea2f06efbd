package dev.agentgate.review;

import dev.agentgate.admin.AdminRequest;
import dev.agentgate.admin.AdminResponse;
import dev.agentgate.admin.AdminRoute;
import dev.agentgate.admin.CrossSiteRequests;
import dev.agentgate.identity.BrowserSessions;
import dev.agentgate.identity.OidcCodeFlow;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions page ({@code /review}): plain HTML, CSS and JavaScript from the gateway's resources (no CDN), which
 * lists recorded sessions and plays one back through the {@link SessionsApiRoute}. Reviewers sign in with the company
 * issuer ({@code approval.sso}, coming back to {@code /review/callback}) or with the admin key; either way the
 * browser then holds an HttpOnly, SameSite=Strict session cookie that the API accepts.
 */
public final class SessionsPageRoute implements AdminRoute {
    public static final String PATH = "/review";
    public static final String CALLBACK_PATH = PATH + "/callback";

    static final String SIGN_IN_COOKIE = "agentgate_review_sign_in";

    private static final Logger log = LoggerFactory.getLogger(SessionsPageRoute.class);
    private static final Map<String, String> PAGE_HEADERS = Map.of(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'self';"
                    + " frame-ancestors 'none'",
            "X-Frame-Options",
            "DENY",
            "Referrer-Policy",
            "no-referrer",
            "Cache-Control",
            "no-store");

    private final ReviewAccess access;
    private final Auditors auditors;
    private final Optional<OidcCodeFlow> signIn;
    private final BrowserSessions<Reviewer> sessions;
    private final boolean secureCookies;
    private final PageAssets assets = PageAssets.load();

    /** @param signIn the company issuer's sign-in, empty when only the admin key opens the page */
    public SessionsPageRoute(
            ReviewAccess access,
            Auditors auditors,
            Optional<OidcCodeFlow> signIn,
            BrowserSessions<Reviewer> sessions,
            boolean secureCookies) {
        this.access = access;
        this.auditors = auditors;
        this.signIn = signIn;
        this.sessions = sessions;
        this.secureCookies = secureCookies;
    }

    @Override
    public boolean serves(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    @Override
    public CompletableFuture<AdminResponse> handle(AdminRequest request) {
        String path = request.path();
        if (path.equals(PATH + "/key") || path.equals(PATH + "/sign-out")) {
            if (!"POST".equals(request.method())) {
                return done(ReviewJson.notAllowed("POST"));
            }
            Optional<String> crossSite = CrossSiteRequests.refusal(request);
            if (crossSite.isPresent()) {
                log.warn(
                        "sessions page: a form from another site refused ({}) from {}",
                        crossSite.get(),
                        request.clientAddress());
                return done(assets.message(403, "Form refused", "This form was not sent from the sessions page."));
            }
            return done(path.endsWith("/key") ? withKey(request) : signedOut(request));
        }
        if (!"GET".equals(request.method())) {
            return done(ReviewJson.notAllowed("GET"));
        }
        return switch (path) {
            case PATH, PATH + "/" -> done(asset("index.html"));
            case PATH + "/app.js", PATH + "/app.css" -> done(asset(path.substring(PATH.length() + 1)));
            case PATH + "/whoami" -> done(whoami(request));
            case PATH + "/sign-in" -> startSignIn();
            case CALLBACK_PATH -> signedIn(request);
            default -> done(ReviewJson.error(404, "no such page"));
        };
    }

    private AdminResponse whoami(AdminRequest request) {
        Optional<BrowserSessions.SignedIn<Reviewer>> session = sessions.find(request.cookie(ReviewAccess.PAGE_COOKIE));
        return ReviewJson.ok(Map.of(
                "signed_in", session.isPresent(),
                "reviewer", session.map(s -> s.principal().name()).orElse(""),
                "sign_in_available", signIn.isPresent()));
    }

    private CompletableFuture<AdminResponse> startSignIn() {
        if (signIn.isEmpty()) {
            return done(assets.message(404, "Sign-in unavailable", "No issuer is configured; use the admin key."));
        }
        OidcCodeFlow.Attempt attempt = OidcCodeFlow.Attempt.start();
        sessions.startSignIn(new BrowserSessions.SignIn(attempt, PATH));
        return signIn.get()
                .authorizationUrl(attempt)
                .thenApply(url -> redirect(
                        url.toString(),
                        cookie(SIGN_IN_COOKIE, attempt.state(), BrowserSessions.SIGN_IN_TIME.toSeconds(), "Lax")));
    }

    private CompletableFuture<AdminResponse> signedIn(AdminRequest request) {
        Map<String, String> query = request.queryParameters();
        String state = query.get("state");
        Optional<BrowserSessions.SignIn> pending = sessions.finishSignIn(state);
        if (signIn.isEmpty()
                || pending.isEmpty()
                || !request.cookie(SIGN_IN_COOKIE).equals(Optional.ofNullable(state))
                || query.get("code") == null) {
            return done(assets.message(
                    400, "Sign-in refused", "This sign-in is unknown, expired or was started in another browser."));
        }
        return signIn.get()
                .complete(pending.get().attempt(), query.get("code"))
                .thenApply(identity -> {
                    ReviewAccess.Outcome outcome = access.admitted(identity, Reviewer.Via.PAGE);
                    if (outcome instanceof ReviewAccess.Granted granted) {
                        log.info(
                                "{} signed in to the sessions page from {}",
                                granted.reviewer().name(),
                                request.clientAddress());
                        return opened(granted.reviewer());
                    }
                    return assets.message(403, "Not an auditor", ((ReviewAccess.Refused) outcome).message());
                })
                .exceptionally(failure -> {
                    log.warn("sessions page sign-in failed: {}", failure.toString());
                    return assets.message(401, "Sign-in failed", "The issuer's answer could not be verified.");
                });
    }

    private AdminResponse withKey(AdminRequest request) {
        if (!auditors.isAdminKey(request.form().get("key"))) {
            log.warn("sessions page: a wrong admin key from {}", request.clientAddress());
            return assets.message(401, "Key refused", "That is not the admin key.");
        }
        return opened(Reviewer.adminKey(Reviewer.Via.PAGE));
    }

    private AdminResponse signedOut(AdminRequest request) {
        return redirect(PATH, cookie(ReviewAccess.PAGE_COOKIE, "", 0, "Strict"));
    }

    private AdminResponse opened(Reviewer reviewer) {
        String id = sessions.open(reviewer);
        return redirect(PATH, cookie(ReviewAccess.PAGE_COOKIE, id, BrowserSessions.SESSION_TIME.toSeconds(), "Strict"));
    }

    private AdminResponse asset(String name) {
        PageAssets.Asset asset = assets.get(name);
        return new AdminResponse(200, asset.contentType(), asset.text(), PAGE_HEADERS);
    }

    /** The session cookie goes to the API as well as the page, hence {@code Path=/}. */
    private String cookie(String name, String value, long maxAgeSeconds, String sameSite) {
        return name + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=" + sameSite
                + (secureCookies ? "; Secure" : "");
    }

    private static AdminResponse redirect(String location, String setCookie) {
        return new AdminResponse(
                302, "text/html; charset=utf-8", "", Map.of("Location", location, "Set-Cookie", setCookie));
    }

    private static CompletableFuture<AdminResponse> done(AdminResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    static Map<String, String> pageHeaders() {
        return PAGE_HEADERS;
    }
}
