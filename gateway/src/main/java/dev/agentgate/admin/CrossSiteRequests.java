package dev.agentgate.admin;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * CSRF defence for the admin listener's HTML forms (the sessions page, the approval page), by what the browser says of
 * a request's origin rather than by a token alone: a POST whose {@code Sec-Fetch-Site} is other than
 * {@code same-origin} or {@code none} (typed or bookmarked), or whose {@code Origin} is not this listener's own (as
 * the {@code Host} header, or a proxy's {@code X-Forwarded-Host}, names it), is refused; an opaque
 * {@code Origin: null} passes only when {@code Sec-Fetch-Site} vouches for it. A request with neither header
 * does not come from a modern browser's page and cannot carry a victim's cookies across sites; it is let through to the
 * form's own checks.
 */
public final class CrossSiteRequests {

    private CrossSiteRequests() {}

    /** Why this form submission is refused as cross-site; empty when it may be handled. */
    public static Optional<String> refusal(AdminRequest request) {
        Optional<String> site =
                request.header("sec-fetch-site").map(value -> value.strip().toLowerCase(Locale.ROOT));
        if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
            return Optional.of("the form was sent from another site (Sec-Fetch-Site: " + site.get() + ")");
        }
        Optional<String> origin = request.header("origin").map(String::strip);
        // The pages send no referrer, and browsers then send "Origin: null" with their own forms: only Sec-Fetch-Site
        // can vouch for such a request.
        boolean opaque = origin.isPresent() && origin.get().equals("null");
        if (opaque && site.isPresent()) {
            return Optional.empty();
        }
        if (origin.isPresent() && !ownOrigin(origin.get(), request)) {
            return Optional.of("the form was sent from another origin (" + origin.get() + ")");
        }
        return Optional.empty();
    }

    private static boolean ownOrigin(String origin, AdminRequest request) {
        Optional<String> host = request.header("x-forwarded-host")
                .or(() -> request.header("host"))
                .map(value -> value.split(",")[0].strip());
        if (host.isEmpty() || origin.equals("null")) {
            return false;
        }
        try {
            URI parsed = URI.create(origin);
            return parsed.getRawAuthority() != null && parsed.getRawAuthority().equalsIgnoreCase(host.get());
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
    }
}
