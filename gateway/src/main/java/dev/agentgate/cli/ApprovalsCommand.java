package dev.agentgate.cli;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code agentgate approvals list|show|approve|deny}: approval requests through a gateway's admin API, as the
 * person whose OIDC token is given. Prints the API's JSON; exits 0 when the gateway answered 2xx.
 */
@Command(
        name = "approvals",
        mixinStandardHelpOptions = true,
        description = "List, show, approve or deny approval requests through a gateway's admin endpoint.",
        subcommands = {
            ApprovalsCommand.ListRequests.class,
            ApprovalsCommand.Show.class,
            ApprovalsCommand.Approve.class,
            ApprovalsCommand.Deny.class
        })
public final class ApprovalsCommand implements Runnable {
    /** The gateway answered, but not with 2xx (refused vote, unknown id, bad token). */
    static final int EXIT_REFUSED = 1;
    /** The gateway could not be reached. */
    static final int EXIT_UNREACHABLE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: list, show, approve or deny");
    }

    /** Where the admin endpoint is and who is asking. */
    static final class Connection {
        @Option(
                names = "--admin-url",
                defaultValue = "http://127.0.0.1:9090",
                paramLabel = "URL",
                description = "The gateway's admin endpoint (default: ${DEFAULT-VALUE}).")
        URI adminUrl;

        @Option(
                names = "--token",
                defaultValue = "${env:AGENTGATE_APPROVER_TOKEN}",
                paramLabel = "JWT",
                description = "Your OIDC token (default: $AGENTGATE_APPROVER_TOKEN).")
        String token;

        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec spec;

        int call(String method, String... segments) {
            if (token == null || token.isBlank()) {
                throw new ParameterException(
                        spec.commandLine(), "an approver token is required: --token or AGENTGATE_APPROVER_TOKEN");
            }
            HttpUrl base = HttpUrl.get(adminUrl);
            HttpUrl.Builder url = base.newBuilder().addPathSegment("approvals");
            for (String segment : segments) {
                url.addPathSegment(segment); // escaped: an id cannot reach another path
            }
            Request request = new Request.Builder()
                    .url(url.build())
                    .header("Authorization", "Bearer " + token.strip())
                    .method(method, method.equals("POST") ? RequestBody.create(new byte[0]) : null)
                    .build();
            OkHttpClient http = new OkHttpClient.Builder()
                    .callTimeout(Duration.ofSeconds(30))
                    .build();
            try (Response response = http.newCall(request).execute()) {
                String body = response.body().string();
                (response.isSuccessful()
                                ? spec.commandLine().getOut()
                                : spec.commandLine().getErr())
                        .println(body);
                return response.isSuccessful() ? 0 : EXIT_REFUSED;
            } catch (IOException e) {
                spec.commandLine().getErr().println("approvals: cannot reach " + base + ": " + e.getMessage());
                return EXIT_UNREACHABLE;
            } finally {
                http.dispatcher().executorService().shutdown();
                http.connectionPool().evictAll();
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the requests still open.")
    static final class ListRequests implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Override
        public Integer call() {
            return connection.call("GET");
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one request and its votes.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Parameters(paramLabel = "ID", description = "The request id, e.g. apr-3f9c2a71d04e.")
        String id;

        @Override
        public Integer call() {
            return connection.call("GET", id);
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approves a request as you.")
    static final class Approve implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Parameters(paramLabel = "ID", description = "The request id.")
        String id;

        @Override
        public Integer call() {
            return connection.call("POST", id, "approve");
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Denies a request as you.")
    static final class Deny implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Parameters(paramLabel = "ID", description = "The request id.")
        String id;

        @Override
        public Integer call() {
            return connection.call("POST", id, "deny");
        }
    }
}
