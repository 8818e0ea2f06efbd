package dev.agentgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the approval channels' keys of the {@code approval} section ({@code slack}, {@code link_key}, {@code sso});
 * the section's other keys belong to the approval domain's reader, which lists {@link #KEYS} as known.
 */
public final class ApprovalChannelsReader {
    public static final List<String> KEYS = List.of("slack", "link_key", "sso");

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private ApprovalChannelsReader() {}

    /** @param devMode whether {@code dev_mode} is on: only then may {@code approval.sso.issuer} be plain http */
    static ApprovalChannelsConfig channels(ConfigNode approval, boolean devMode) {
        Optional<SlackConfig> slack = approval.optionalSection("slack").map(ApprovalChannelsReader::slack);
        Optional<String> linkKey = approval.secret("link_key").filter(key -> !key.isEmpty());
        if (linkKey.isPresent() && linkKey.get().getBytes(StandardCharsets.UTF_8).length < 32) {
            throw approval.error("link_key", "must be at least 32 bytes (e.g. openssl rand -hex 32)");
        }
        Optional<ApprovalSsoConfig> sso = approval.optionalSection("sso").map(section -> sso(section, devMode));
        if (linkKey.isPresent() != sso.isPresent()) {
            throw approval.error(
                    linkKey.isPresent() ? "sso" : "link_key",
                    "is required: link_key and sso are given together (signed links open a page approvers sign in to)");
        }
        return new ApprovalChannelsConfig(slack, linkKey, sso);
    }

    private static SlackConfig slack(ConfigNode slack) {
        slack.rejectUnknownKeys(
                List.of("webhook_url", "signing_secret", "users", "max_attempts", "first_backoff", "bot_token"));
        Map<String, SlackConfig.SlackUser> users = new LinkedHashMap<>();
        slack.sectionsByName("users").forEach((slackUserId, user) -> {
            user.rejectUnknownKeys(List.of("issuer", "subject", "groups"));
            users.put(
                    slackUserId,
                    new SlackConfig.SlackUser(
                            user.requiredString("issuer"),
                            user.requiredString("subject"),
                            user.stringList("groups", List.of())));
        });
        return new SlackConfig(
                httpUrl(slack, "webhook_url"),
                slack.secret("signing_secret")
                        .filter(secret -> !secret.isEmpty())
                        .orElse(null),
                users,
                slack.positiveInt("max_attempts", SlackConfig.DEFAULT_MAX_ATTEMPTS),
                slack.positiveDuration("first_backoff", SlackConfig.DEFAULT_FIRST_BACKOFF),
                slack.secret("bot_token").filter(token -> !token.isEmpty()).orElse(null),
                SlackConfig.DEFAULT_API_URL);
    }

    private static ApprovalSsoConfig sso(ConfigNode sso, boolean devMode) {
        sso.rejectUnknownKeys(List.of("issuer", "client_id", "client_secret", "redirect_uri"));
        URI issuer = httpUrl(sso, "issuer");
        if (!"https".equals(issuer.getScheme())) {
            // Over plain http the issuer's keys could be swapped on the way, and the one plain-http issuer that
            // ships with agentgate, `agentgate dev sso` on 127.0.0.1, signs every browser in without a password:
            // neither may decide approvals of a gateway that guards real data.
            if (!devMode) {
                throw sso.error(
                        "issuer",
                        "must be an https URL unless dev_mode is true (a plain-http issuer such as `agentgate dev sso`"
                                + " is for development only), was " + issuer);
            }
            if (!LOOPBACK_HOSTS.contains(issuer.getHost())) {
                throw sso.error("issuer", "must be an https URL (http only for localhost or 127.0.0.1), was " + issuer);
            }
        }
        return new ApprovalSsoConfig(
                issuer,
                sso.requiredString("client_id"),
                sso.secret("client_secret").orElseThrow(() -> sso.error("client_secret", "is required")),
                httpUrl(sso, "redirect_uri"));
    }

    private static URI httpUrl(ConfigNode node, String key) {
        String text = node.requiredString(key);
        try {
            URI uri = new URI(text);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw node.error(key, "must be an http(s) URL, was " + text);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw node.error(key, "is not a URL: " + e.getMessage());
        }
    }
}
