package dev.agentgate.approval;

import dev.agentgate.admin.AdminRoute;
import dev.agentgate.admin.ApprovalsApiRoute;
import dev.agentgate.approval.page.ApprovalPageRoute;
import dev.agentgate.approval.page.SignedLinks;
import dev.agentgate.approval.slack.SlackInteractivityRoute;
import dev.agentgate.approval.slack.SlackNotifier;
import dev.agentgate.approval.slack.SlackPoster;
import dev.agentgate.approval.slack.SlackSignatureVerifier;
import dev.agentgate.approval.slack.SlackUserGroups;
import dev.agentgate.config.ApprovalChannelsConfig;
import dev.agentgate.config.ApprovalSsoConfig;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.IdentityConfig;
import dev.agentgate.config.IssuerConfig;
import dev.agentgate.config.SlackConfig;
import dev.agentgate.identity.JwtTokenValidator;
import dev.agentgate.identity.OidcCodeFlow;
import dev.agentgate.identity.TokenValidator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * The ways people learn of and decide approval requests, built from the config: the notifier (Slack when
 * {@code approval.slack} is set, else the log) and the admin listener's routes (the approvals API always,
 * Slack's interactivity URL with a signing secret, the approval page with {@code approval.sso}).
 */
public final class ApprovalChannels implements AutoCloseable {
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    private final ApprovalChannelsConfig config;
    private final OkHttpClient http;
    private final Optional<SignedLinks> links;
    private final Optional<SlackPoster> poster;
    private final ApprovalNotifier notifier;
    private final Optional<JwtTokenValidator> idTokens;
    private final Optional<SlackUserGroups> slackUserGroups;
    private final Clock clock;

    private ApprovalChannels(GatewayConfig gateway, Clock clock) {
        this.config = gateway.approvalChannels();
        this.clock = clock;
        this.http = new OkHttpClient.Builder()
                .connectTimeout(HTTP_TIMEOUT)
                .callTimeout(HTTP_TIMEOUT)
                .followRedirects(false)
                .build();
        this.links =
                config.sso().map(sso -> new SignedLinks(config.linkKey().orElseThrow(), pageBase(gateway, sso), clock));
        this.poster = config.slack().map(slack -> new SlackPoster(http, slack.maxAttempts(), slack.firstBackoff()));
        this.notifier = config.slack()
                .<ApprovalNotifier>map(slack -> new SlackNotifier(slack.webhookUrl(), poster.orElseThrow(), links))
                .orElseGet(LoggingNotifier::new);
        this.slackUserGroups = config.slack()
                .filter(slack -> slack.signingSecret() != null)
                .map(slack -> new SlackUserGroups(slack, http));
        this.idTokens = config.sso()
                .map(sso -> JwtTokenValidator.create(
                        new IdentityConfig(
                                gateway.identity().clockSkew(),
                                List.of(new IssuerConfig(
                                        sso.issuer().toString(),
                                        List.of(sso.clientId()),
                                        null,
                                        IssuerConfig.DEFAULT_ALGORITHMS,
                                        IssuerConfig.DEFAULT_REQUIRED_CLAIMS)),
                                null),
                        false));
    }

    public static ApprovalChannels create(GatewayConfig gateway, Clock clock) {
        return new ApprovalChannels(gateway, clock);
    }

    /** Who is told of new requests and their outcomes. */
    public ApprovalNotifier notifier() {
        return notifier;
    }

    /**
     * The admin listener's approval routes.
     *
     * @param apiTokens validates the approvers' tokens on the approvals API (the gateway's trusted issuers)
     */
    public List<AdminRoute> routes(ApprovalDecisions decisions, TokenValidator apiTokens) {
        List<AdminRoute> routes = new ArrayList<>();
        routes.add(new ApprovalsApiRoute(decisions, apiTokens));
        config.slack()
                .filter(slack -> slack.signingSecret() != null)
                .ifPresent(slack -> routes.add(interactivity(slack, decisions)));
        config.sso()
                .ifPresent(sso -> routes.add(new ApprovalPageRoute(
                        links.orElseThrow(),
                        new OidcCodeFlow(
                                sso.issuer(),
                                sso.clientId(),
                                sso.clientSecret(),
                                sso.redirectUri(),
                                idTokens.orElseThrow(),
                                http),
                        decisions,
                        sso.secure())));
        return routes;
    }

    /**
     * A sign-in with the company issuer of {@code approval.sso} for another page of the admin listener, coming back
     * to {@code callbackPath} there (registered at the issuer like the approval page's callback); empty without
     * {@code approval.sso}.
     */
    public Optional<OidcCodeFlow> signInFor(String callbackPath) {
        return config.sso()
                .map(sso -> new OidcCodeFlow(
                        sso.issuer(),
                        sso.clientId(),
                        sso.clientSecret(),
                        URI.create(sso.pageBase() + callbackPath),
                        idTokens.orElseThrow(),
                        http));
    }

    private SlackInteractivityRoute interactivity(SlackConfig slack, ApprovalDecisions decisions) {
        return new SlackInteractivityRoute(
                new SlackSignatureVerifier(slack.signingSecret(), clock),
                slack.users(),
                decisions,
                (SlackNotifier) notifier,
                slackUserGroups.orElseThrow());
    }

    /** Links point at {@code approval.public_url} when set, else at the origin of the sign-in callback. */
    private static URI pageBase(GatewayConfig gateway, ApprovalSsoConfig sso) {
        return gateway.approval().publicUrl() != null ? gateway.approval().publicUrl() : sso.pageBase();
    }

    @Override
    public void close() {
        poster.ifPresent(SlackPoster::close);
        slackUserGroups.ifPresent(SlackUserGroups::close);
        idTokens.ifPresent(JwtTokenValidator::close);
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
