package dev.agentgate.cli;

import com.nimbusds.jose.jwk.JWKSet;
import dev.agentgate.identity.DevIssuer;
import dev.agentgate.identity.DevSsoExchanges;
import dev.agentgate.identity.DevSsoGrants;
import dev.agentgate.identity.DevSsoIssuer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code agentgate dev sso}: the local sign-in issuer for the approval page in a development setup. */
@Command(
        name = "sso",
        mixinStandardHelpOptions = true,
        description = {
            "DEVELOPMENT ONLY. Runs a local OIDC issuer for the approval page's approval.sso: discovery, JWKS,",
            "/authorize and /token (authorization code with PKCE S256; codes are single-use and expire after "
                    + "60 s).",
            "It signs every browser in as --user WITHOUT ASKING FOR A PASSWORD, so it listens on 127.0.0.1 only;"
                    + " never point a gateway that guards real data at it.",
            "ID tokens are signed with the dev issuer key (--key, as for 'dev token'), as issuer"
                    + " http://127.0.0.1:<port>, for audience --client-id. Runs until stopped."
        })
final class DevSsoCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--key",
            required = true,
            paramLabel = "FILE",
            description = "Private JWK written by 'agentgate dev keygen'.")
    private Path keyFile;

    @Option(
            names = "--port",
            required = true,
            paramLabel = "PORT",
            description = "Port on 127.0.0.1 (0: any free port; the issuer URL is printed).")
    private int port;

    @Option(
            names = "--client-id",
            defaultValue = "agentgate-approvals",
            paramLabel = "ID",
            description = "The one client allowed to sign in (approval.sso.client_id; default: ${DEFAULT-VALUE}).")
    private String clientId;

    @Option(
            names = "--client-secret-file",
            required = true,
            paramLabel = "FILE",
            description = "File holding the client's secret (approval.sso.client_secret).")
    private Path clientSecretFile;

    @Option(
            names = "--redirect-uri",
            required = true,
            paramLabel = "URL",
            description = "A redirect URI the client may use (approval.sso.redirect_uri); repeatable.")
    private List<URI> redirectUris = new ArrayList<>();

    @Option(
            names = "--user",
            defaultValue = "dana",
            paramLabel = "SUBJECT",
            description = "Who every sign-in becomes: the ID token's sub (default: ${DEFAULT-VALUE}).")
    private String user;

    @Option(
            names = "--ttl",
            defaultValue = "5m",
            paramLabel = "DURATION",
            converter = DevCommand.DurationConverter.class,
            description = "Lifetime of the ID tokens (default: ${DEFAULT-VALUE}).")
    private Duration ttl;

    @CommandLine.Mixin
    private DevClaimOptions claimOptions = new DevClaimOptions();

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535, was " + port);
        }
        DevIssuer signer;
        String secret;
        try {
            signer = DevIssuer.fromKeyFile(keyFile, Clock.systemUTC());
            secret = Files.readString(clientSecretFile, StandardCharsets.UTF_8).strip();
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("sso: " + e.getMessage());
            return DevCommand.EXIT_KEY_FILE_ERROR;
        }
        if (secret.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--client-secret-file " + clientSecretFile + " is empty");
        }
        DevSsoExchanges.Client client = new DevSsoExchanges.Client(clientId, secret, redirectUris);
        DevSsoExchanges.User signedIn = new DevSsoExchanges.User(user, claimOptions.claims());
        DevSsoGrants grants = new DevSsoGrants(Clock.systemUTC());
        DevSsoIssuer issuer = DevSsoIssuer.start(
                port,
                url -> new DevSsoExchanges(signer.asIssuer(url.toString()), client, signedIn, ttl, grants),
                new JWKSet(signer.publicKey()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            issuer.close();
            stopped.countDown();
        }));
        spec.commandLine()
                .getOut()
                .printf(
                        "dev SSO issuer (development only) at %s: every sign-in of client %s becomes %s%n",
                        issuer.uri(), clientId, user);
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
