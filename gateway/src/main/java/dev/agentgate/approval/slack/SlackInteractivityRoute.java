package dev.agentgate.approval.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.admin.AdminRequest;
import dev.agentgate.admin.AdminResponse;
import dev.agentgate.admin.AdminRoute;
import dev.agentgate.admin.VoteAnswers;
import dev.agentgate.approval.ApprovalDecisions;
import dev.agentgate.approval.Approver;
import dev.agentgate.approval.DecideResult;
import dev.agentgate.config.SlackConfig.SlackUser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack app's Request URL ({@code POST /slack/interactivity}): a click on Approve or Deny, verified as
 * Slack's (signature, timestamp window, no replay), from a Slack user mapped to an approver identity
 * ({@code approval.slack.users}), becomes a vote through {@link ApprovalDecisions}; the Slack user groups among the
 * request's approvers that the clicker belongs to count as the vote's groups. Unsigned or stale requests get 401,
 * unreadable ones 400, unmapped users 403, and 503 when Slack cannot say who is in those groups; the clicker is told
 * privately why a vote did not count.
 */
public final class SlackInteractivityRoute implements AdminRoute {
    public static final String PATH = "/slack/interactivity";

    private static final Logger log = LoggerFactory.getLogger(SlackInteractivityRoute.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SlackSignatureVerifier verifier;
    private final Map<String, SlackUser> users;
    private final ApprovalDecisions decisions;
    private final SlackNotifier notifier;
    private final SlackUserGroups userGroups;

    public SlackInteractivityRoute(
            SlackSignatureVerifier verifier,
            Map<String, SlackUser> users,
            ApprovalDecisions decisions,
            SlackNotifier notifier,
            SlackUserGroups userGroups) {
        this.verifier = verifier;
        this.users = Map.copyOf(users);
        this.decisions = decisions;
        this.notifier = notifier;
        this.userGroups = userGroups;
    }

    @Override
    public boolean serves(String path) {
        return PATH.equals(path);
    }

    @Override
    public CompletableFuture<AdminResponse> handle(AdminRequest request) {
        if (!"POST".equals(request.method())) {
            return answer(405, "Slack posts interactions; only POST is allowed");
        }
        Optional<String> refusal = verifier.refusal(
                request.header("x-slack-request-timestamp").orElse(null),
                request.header("x-slack-signature").orElse(null),
                request.body());
        if (refusal.isPresent()) {
            log.warn("Slack interaction from {} refused: {}", request.clientAddress(), refusal.get());
            return answer(401, "request not signed by Slack");
        }
        Optional<SlackClick> click = SlackClick.read(request.form().get("payload"));
        if (click.isEmpty()) {
            return answer(400, "not an approval button click");
        }
        return vote(click.get());
    }

    private CompletableFuture<AdminResponse> vote(SlackClick click) {
        SlackUser user = users.get(click.userId());
        if (user == null) {
            log.warn("Slack user {} clicked on {} but is not mapped to an approver", click.userId(), click.requestId());
            click.responseUrl()
                    .ifPresent(
                            url -> notifier.tellClicker(
                                    url,
                                    "Your Slack user is not an approver at this gateway (approval.slack.users); nothing was decided."));
            return answer(403, "Slack user not mapped to an approver");
        }
        click.responseUrl().ifPresent(url -> notifier.clickedFrom(click.requestId(), url));
        String from = "slack:" + click.teamId() + "/" + click.userId();
        return decisions
                .find(click.requestId())
                .thenCompose(found -> userGroups.groupsOf(
                        click.userId(),
                        found.map(record -> record.request().approvers()).orElse(List.of())))
                .thenCompose(slackGroups -> {
                    List<String> groups = new ArrayList<>(user.groups());
                    groups.addAll(slackGroups);
                    Approver approver = new Approver(user.issuer(), user.subject(), groups, Approver.Via.SLACK);
                    return decisions.decide(click.requestId(), approver, click.verdict(), from);
                })
                .thenApply(result -> {
                    if (!(result instanceof DecideResult.Decided)) {
                        click.responseUrl().ifPresent(url -> notifier.tellClicker(url, VoteAnswers.sentence(result)));
                    }
                    return AdminResponse.json(VoteAnswers.status(result), json(VoteAnswers.document(result)));
                })
                .exceptionally(failure -> {
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    if (!(cause instanceof SlackUserGroups.Unavailable)) {
                        // the state database failed: the admin router answers a generic 500
                        throw failure instanceof CompletionException completion
                                ? completion
                                : new CompletionException(failure);
                    }
                    log.warn("Slack click on {} not counted: {}", click.requestId(), cause.getMessage());
                    click.responseUrl()
                            .ifPresent(url -> notifier.tellClicker(
                                    url,
                                    "Your vote was not counted: Slack could not say whether you are in the approvers'"
                                            + " user groups; nothing was decided. Try again shortly."));
                    return AdminResponse.json(503, json(Map.of("error", "Slack user groups could not be checked")));
                });
    }

    private static CompletableFuture<AdminResponse> answer(int status, String error) {
        return CompletableFuture.completedFuture(AdminResponse.json(status, json(Map.of("error", error))));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
