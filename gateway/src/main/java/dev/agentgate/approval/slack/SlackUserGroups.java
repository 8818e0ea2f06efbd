package dev.agentgate.approval.slack;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse;
import com.slack.api.util.http.SlackHttpClient;
import dev.agentgate.config.SlackConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import okhttp3.OkHttpClient;

/**
 * Slack user groups named as approvers ({@code slack:<user group id>}): which of them a clicking Slack user belongs
 * to, from Slack's {@code usergroups.users.list} through the SDK's Web API client and the app's bot token. Members
 * are kept a minute (a click burst asks Slack once); an answer Slack could not give is not kept, and fails the
 * lookup, so that the click decides nothing.
 */
public final class SlackUserGroups {
    /** How an approvers entry names a Slack user group. */
    public static final String PREFIX = "slack:";

    private static final Duration KEPT = Duration.ofMinutes(1);

    private final MethodsClient methods;
    private final boolean configured;
    private final AsyncCache<String, Set<String>> members;

    /** @param lookups where the SDK's blocking calls run (never a Netty event loop) */
    public SlackUserGroups(SlackConfig config, OkHttpClient http, Executor lookups) {
        com.slack.api.SlackConfig sdk = new com.slack.api.SlackConfig();
        sdk.setMethodsEndpointUrlPrefix(config.apiUrl().toString());
        sdk.setPrettyResponseLoggingEnabled(false);
        this.methods = Slack.getInstance(sdk, new SlackHttpClient(http)).methods(config.botToken());
        this.configured = config.botToken() != null;
        this.members = Caffeine.newBuilder()
                .expireAfterWrite(KEPT)
                .maximumSize(1_000)
                .executor(lookups)
                .buildAsync();
    }

    /**
     * The entries of {@code approvers} naming Slack user groups that {@code slackUserId} is a member of; fails when
     * Slack cannot say.
     */
    public CompletableFuture<List<String>> groupsOf(String slackUserId, List<String> approvers) {
        List<String> groups =
                approvers.stream().filter(entry -> entry.startsWith(PREFIX)).toList();
        if (groups.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (!configured) {
            return CompletableFuture.failedFuture(
                    new IOException("approvers name Slack user groups, but approval.slack.bot_token is not set"));
        }
        List<CompletableFuture<Boolean>> memberships = groups.stream()
                .map(entry -> members.get(
                                entry.substring(PREFIX.length()),
                                (id, executor) -> CompletableFuture.supplyAsync(() -> fetch(id), executor))
                        .thenApply(users -> users.contains(slackUserId)))
                .toList();
        return CompletableFuture.allOf(memberships.toArray(CompletableFuture[]::new))
                .thenApply(all -> groups.stream()
                        .filter(entry -> memberships.get(groups.indexOf(entry)).join())
                        .toList());
    }

    private Set<String> fetch(String userGroupId) {
        UsergroupsUsersListResponse answer;
        try {
            answer = methods.usergroupsUsersList(request -> request.usergroup(userGroupId));
        } catch (IOException | com.slack.api.methods.SlackApiException e) {
            throw new CompletionException(
                    new IOException("Slack did not list the members of user group " + userGroupId + ": " + e, e));
        }
        if (!answer.isOk()) {
            throw new CompletionException(new IOException(
                    "Slack refused to list the members of user group " + userGroupId + ": " + answer.getError()));
        }
        return Set.copyOf(answer.getUsers() == null ? List.of() : answer.getUsers());
    }
}
