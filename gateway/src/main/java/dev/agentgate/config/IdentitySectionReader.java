package dev.agentgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the {@code identity} section: trusted token issuers and the dev issuer. */
final class IdentitySectionReader {
    /** Plain http is only acceptable where nobody can sit in between: tests serve JWKS on loopback. */
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private IdentitySectionReader() {}

    static IdentityConfig identity(ConfigNode identity, boolean devMode) {
        identity.rejectUnknownKeys(List.of(
                "clock_skew",
                "issuers",
                "dev_issuer",
                "keys_outage_tolerance",
                "max_token_lifetime",
                "keys_cache_ttl"));
        List<IssuerConfig> issuers = issuers(identity);
        DevIssuerConfig devIssuer = identity.optionalSection("dev_issuer")
                .map(section -> devIssuer(section, devMode))
                .orElse(null);
        if (issuers.isEmpty() && devIssuer == null) {
            throw identity.error("at least one of issuers or dev_issuer is required");
        }
        return new IdentityConfig(
                identity.duration("clock_skew", IdentityConfig.DEFAULT_CLOCK_SKEW),
                issuers,
                devIssuer,
                identity.positiveDuration("keys_outage_tolerance", IdentityConfig.DEFAULT_KEYS_OUTAGE_TOLERANCE),
                identity.has("max_token_lifetime") ? identity.positiveDuration("max_token_lifetime", null) : null,
                keysCacheTtl(identity));
    }

    private static Duration keysCacheTtl(ConfigNode identity) {
        Duration ttl = identity.duration("keys_cache_ttl", null);
        if (ttl != null && ttl.compareTo(IdentityConfig.MIN_KEYS_CACHE_TTL) < 0) {
            throw identity.error(
                    "keys_cache_ttl", "must be at least " + IdentityConfig.MIN_KEYS_CACHE_TTL.toSeconds() + "s");
        }
        return ttl;
    }

    private static List<IssuerConfig> issuers(ConfigNode identity) {
        List<IssuerConfig> issuers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ConfigNode section : identity.sectionList("issuers")) {
            IssuerConfig issuer = issuer(section);
            if (!seen.add(issuer.issuer())) {
                throw section.error("issuer", "duplicate issuer '" + issuer.issuer() + "'");
            }
            issuers.add(issuer);
        }
        return issuers;
    }

    private static IssuerConfig issuer(ConfigNode issuer) {
        issuer.rejectUnknownKeys(List.of("issuer", "audiences", "jwks_uri", "algorithms", "required_claims"));
        return new IssuerConfig(
                secureUrl(issuer, "issuer", issuer.requiredString("issuer")).toString(),
                audiences(issuer, null),
                issuer.optionalString("jwks_uri")
                        .map(text -> secureUrl(issuer, "jwks_uri", text))
                        .orElse(null),
                algorithms(issuer),
                issuer.stringList("required_claims", IssuerConfig.DEFAULT_REQUIRED_CLAIMS));
    }

    private static DevIssuerConfig devIssuer(ConfigNode devIssuer, boolean devMode) {
        if (!devMode) {
            throw devIssuer.error("only allowed with dev_mode: true");
        }
        devIssuer.rejectUnknownKeys(List.of("key_file", "audiences"));
        return new DevIssuerConfig(
                devIssuer.path("key_file").orElseThrow(() -> devIssuer.error("key_file", "is required")),
                audiences(devIssuer, DevIssuerConfig.DEFAULT_AUDIENCES));
    }

    /** A non-empty audience list; required (no default) when {@code defaultValue} is null. */
    private static List<String> audiences(ConfigNode section, List<String> defaultValue) {
        if (defaultValue == null && !section.has("audiences")) {
            throw section.error("audiences", "is required");
        }
        List<String> audiences = section.stringList("audiences", defaultValue);
        if (audiences.isEmpty()) {
            throw section.error("audiences", "must not be empty");
        }
        return audiences;
    }

    private static List<String> algorithms(ConfigNode issuer) {
        List<String> algorithms = issuer.stringList("algorithms", IssuerConfig.DEFAULT_ALGORITHMS);
        if (algorithms.isEmpty()) {
            throw issuer.error("algorithms", "must not be empty");
        }
        for (String algorithm : algorithms) {
            if (!IssuerConfig.ALLOWED_ALGORITHMS.contains(algorithm)) {
                throw issuer.error(
                        "algorithms",
                        "'" + algorithm + "' is not allowed (allowed: "
                                + String.join(", ", IssuerConfig.ALLOWED_ALGORITHMS) + ")");
            }
        }
        return algorithms;
    }

    private static URI secureUrl(ConfigNode section, String key, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw section.error(key, "must be a URL, was '" + text + "'");
        }
        boolean https = "https".equals(uri.getScheme()) && uri.getHost() != null;
        boolean loopbackHttp = "http".equals(uri.getScheme()) && LOOPBACK_HOSTS.contains(uri.getHost());
        if (!https && !loopbackHttp) {
            throw section.error(key, "must be an https URL (http only for localhost or 127.0.0.1), was '" + text + "'");
        }
        return uri;
    }
}
