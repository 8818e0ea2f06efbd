package dev.agentgate.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.agentgate.approval.ApprovalDecisions;
import dev.agentgate.approval.Approver;
import dev.agentgate.approval.ApproverIdentities;
import dev.agentgate.approval.Verdict;
import dev.agentgate.identity.Identity;
import dev.agentgate.identity.TokenValidator;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approvals API for people and the CLI: {@code GET /approvals} (pending), {@code GET /approvals/<id>},
 * {@code POST /approvals/<id>/approve} and {@code .../deny}. Every call carries the approver's own OIDC token
 * ({@code Authorization: Bearer}), validated against the gateway's trusted issuers; a vote counts as that
 * identity's, via {@code api}.
 */
public final class ApprovalsApiRoute implements AdminRoute {
    public static final String PATH = "/approvals";

    private static final Logger log = LoggerFactory.getLogger(ApprovalsApiRoute.class);
    private static final ObjectMapper JSON =
            new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final ApprovalDecisions decisions;
    private final TokenValidator tokens;

    public ApprovalsApiRoute(ApprovalDecisions decisions, TokenValidator tokens) {
        this.decisions = decisions;
        this.tokens = tokens;
    }

    @Override
    public boolean serves(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    @Override
    public CompletableFuture<AdminResponse> handle(AdminRequest request) {
        String bearer = request.header("authorization")
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip())
                .orElse(null);
        if (bearer == null) {
            return done(error(401, "an approver's OIDC token is required (Authorization: Bearer <token>)"));
        }
        return tokens.validate(bearer)
                .handle((identity, refused) -> identity)
                .thenCompose(
                        identity -> identity == null ? done(error(401, "token refused")) : route(request, identity));
    }

    private CompletableFuture<AdminResponse> route(AdminRequest request, Identity identity) {
        List<String> parts = List.of(request.path().substring(1).split("/"));
        if (parts.size() == 1) {
            return "GET".equals(request.method())
                    ? decisions
                            .pending()
                            .thenApply(records -> ok(Map.of(
                                    "count",
                                    records.size(),
                                    "approvals",
                                    records.stream().map(ApprovalView::of).toList())))
                    : done(notAllowed("GET"));
        }
        String id = parts.get(1);
        if (parts.size() == 2) {
            return "GET".equals(request.method())
                    ? decisions
                            .find(id)
                            .thenApply(found -> found.map(ApprovalView::of)
                                    .map(ApprovalsApiRoute::ok)
                                    .orElseGet(() -> error(404, "no approval request " + id)))
                    : done(notAllowed("GET"));
        }
        if (parts.size() == 3 && (parts.get(2).equals("approve") || parts.get(2).equals("deny"))) {
            return "POST".equals(request.method())
                    ? vote(
                            id,
                            Verdict.of(parts.get(2)),
                            ApproverIdentities.of(identity, Approver.Via.API),
                            request.clientAddress())
                    : done(notAllowed("POST"));
        }
        return done(
                error(404, "no such path; try " + PATH + ", " + PATH + "/<id>, " + PATH + "/<id>/approve or /deny"));
    }

    private CompletableFuture<AdminResponse> vote(String id, Verdict verdict, Approver approver, String from) {
        log.info("approval {}: {} by {} via the admin API from {}", id, verdict.jsonName(), approver.name(), from);
        return decisions
                .decide(id, approver, verdict, from)
                .thenApply(
                        result -> AdminResponse.json(VoteAnswers.status(result), json(VoteAnswers.document(result))));
    }

    private static AdminResponse ok(Object document) {
        return AdminResponse.json(200, json(document));
    }

    private static AdminResponse error(int status, String message) {
        return AdminResponse.json(status, json(Map.of("error", message)));
    }

    private static AdminResponse notAllowed(String allowed) {
        return new AdminResponse(
                405,
                AdminResponse.JSON,
                json(Map.of("error", "only " + allowed + " is allowed")),
                Map.of("Allow", allowed));
    }

    private static CompletableFuture<AdminResponse> done(AdminResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write admin JSON", e);
        }
    }
}
