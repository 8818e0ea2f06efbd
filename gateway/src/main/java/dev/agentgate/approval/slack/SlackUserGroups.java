package dev.agentgate.approval.slack;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse;
import com.slack.api.util.http.SlackHttpClient;
import dev.agentgate.config.SlackConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;

/**
 * Slack user groups named as approvers ({@code slack:<user group id>}): which of them a clicking Slack user belongs
 * to, from Slack's {@code usergroups.users.list} through the SDK's Web API client and the app's bot token. Members
 * are kept a minute (a click burst asks Slack once); an answer Slack could not give is not kept, and fails the
 * lookup with {@link Unavailable}, so that the click decides nothing.
 *
 * <p>The SDK's Web API calls block, so they run on a small pool of their own (bounded in threads and queue; a burst
 * beyond it fails as unavailable), never on the admin listener's event loop, the state database's threads or the
 * JVM's common pool.
 */
public final class SlackUserGroups implements AutoCloseable {
    /** How an approvers entry names a Slack user group. */
    public static final String PREFIX = "slack:";

    private static final Duration KEPT = Duration.ofMinutes(1);
    private static final int LOOKUP_THREADS = 2;
    private static final int MAX_QUEUED_LOOKUPS = 64;

    /** Slack could not say who is in a user group (no bot token, Slack down or refusing, too many lookups). */
    public static final class Unavailable extends IOException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final MethodsClient methods;
    /** The SDK's settings: each starts background threads of its own (rate-limit statistics), ended on close. */
    private final com.slack.api.SlackConfig sdk;

    private final boolean configured;
    private final ThreadPoolExecutor lookups;
    private final AsyncCache<String, Set<String>> members;

    public SlackUserGroups(SlackConfig config, OkHttpClient http) {
        this.sdk = new com.slack.api.SlackConfig();
        sdk.setMethodsEndpointUrlPrefix(config.apiUrl().toString());
        sdk.setPrettyResponseLoggingEnabled(false);
        this.methods = Slack.getInstance(sdk, new SlackHttpClient(http)).methods(config.botToken());
        this.configured = config.botToken() != null;
        this.lookups = lookupThreads();
        this.members = Caffeine.newBuilder()
                .expireAfterWrite(KEPT)
                .maximumSize(1_000)
                .executor(lookups)
                .buildAsync();
    }

    /**
     * The entries of {@code approvers} naming Slack user groups that {@code slackUserId} is a member of; fails with
     * {@link Unavailable} when Slack cannot say.
     */
    public CompletableFuture<List<String>> groupsOf(String slackUserId, List<String> approvers) {
        List<String> groups =
                approvers.stream().filter(entry -> entry.startsWith(PREFIX)).toList();
        if (groups.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (!configured) {
            return CompletableFuture.failedFuture(
                    new Unavailable("approvers name Slack user groups, but approval.slack.bot_token is not set", null));
        }
        List<CompletableFuture<Set<String>>> memberships = new ArrayList<>(groups.size());
        try {
            for (String entry : groups) {
                memberships.add(members.get(
                        entry.substring(PREFIX.length()),
                        (id, executor) -> CompletableFuture.supplyAsync(() -> fetch(id), executor)));
            }
        } catch (RejectedExecutionException busy) {
            return CompletableFuture.failedFuture(new Unavailable("too many Slack user group lookups at once", busy));
        }
        return CompletableFuture.allOf(memberships.toArray(CompletableFuture[]::new))
                .thenApply(all -> {
                    List<String> memberOf = new ArrayList<>();
                    for (int i = 0; i < groups.size(); i++) {
                        if (memberships.get(i).join().contains(slackUserId)) {
                            memberOf.add(groups.get(i));
                        }
                    }
                    return List.copyOf(memberOf);
                });
    }

    private Set<String> fetch(String userGroupId) {
        UsergroupsUsersListResponse answer;
        try {
            answer = methods.usergroupsUsersList(request -> request.usergroup(userGroupId));
        } catch (IOException | SlackApiException e) {
            throw new CompletionException(
                    new Unavailable("Slack did not list the members of user group " + userGroupId + ": " + e, e));
        }
        if (!answer.isOk()) {
            throw new CompletionException(new Unavailable(
                    "Slack refused to list the members of user group " + userGroupId + ": " + answer.getError(), null));
        }
        return Set.copyOf(answer.getUsers() == null ? List.of() : answer.getUsers());
    }

    private static ThreadPoolExecutor lookupThreads() {
        AtomicInteger counter = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                LOOKUP_THREADS,
                LOOKUP_THREADS,
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED_LOOKUPS),
                runnable -> {
                    Thread thread = new Thread(runnable, "agentgate-slack-groups-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public void close() {
        lookups.shutdownNow();
        try {
            sdk.close();
        } catch (Exception e) {
            // only a background job of the SDK's own ends here; nothing depends on it
        }
    }
}
