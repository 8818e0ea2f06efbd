package dev.agentgate.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local OIDC issuer for development only (the quickstart's approval page): discovery, JWKS, an authorize
 * endpoint that signs in one configured user without asking, and a token endpoint ({@link DevSsoExchanges}). It
 * binds the loopback address only, so no other machine can sign in through it. Served by the JDK's own HTTP
 * server on two worker threads: it answers a handful of browser redirects, never the gateway's traffic.
 */
public final class DevSsoIssuer implements AutoCloseable {
    public static final String DISCOVERY_PATH = DiscoveredJwkSource.DISCOVERY_PATH;

    private static final Logger log = LoggerFactory.getLogger(DevSsoIssuer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_FORM_BYTES = 16 * 1024;
    private static final String LOOPBACK = "127.0.0.1";

    private final HttpServer server;
    private final ExecutorService workers;
    private final URI uri;

    private DevSsoIssuer(HttpServer server, ExecutorService workers, URI uri) {
        this.server = server;
        this.workers = workers;
        this.uri = uri;
    }

    /**
     * Starts the issuer on 127.0.0.1:{@code port} (0: a free port).
     *
     * @param exchanges builds the flow's answers for the issuer URL this server ends up at
     */
    public static DevSsoIssuer start(int port, Function<URI, DevSsoExchanges> exchanges, JWKSet publicKeys)
            throws IOException {
        // 127.0.0.1 itself, not the JVM's preferred loopback (::1 with java.net.preferIPv6Addresses): the issuer URL
        // names this address, and the ID tokens' iss with it.
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, port), 16);
        URI uri = URI.create("http://" + LOOPBACK + ":" + server.getAddress().getPort());
        DevSsoExchanges flow = exchanges.apply(uri);
        String discovery = JSON.writeValueAsString(discoveryDocument(uri));
        String jwks = publicKeys.toPublicJWKSet().toString();
        server.createContext("/", exchange -> {
            DevSsoExchanges.Answer reply;
            try {
                reply = route(exchange, flow, discovery, jwks);
            } catch (RuntimeException e) {
                log.warn("dev SSO issuer: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                reply = DevSsoExchanges.Answer.text(500, "internal error");
            }
            answer(exchange, reply);
        });
        ExecutorService workers = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "dev-sso");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        server.start();
        log.warn(
                "DEVELOPMENT ONLY: dev SSO issuer at {} signs in every browser without a password; never use it"
                        + " for a gateway that guards real data",
                uri);
        return new DevSsoIssuer(server, workers, uri);
    }

    /** The issuer URL: the {@code iss} of its ID tokens and the base of its discovery document. */
    public URI uri() {
        return uri;
    }

    private static Map<String, Object> discoveryDocument(URI issuer) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer.toString());
        document.put("authorization_endpoint", issuer + "/authorize");
        document.put("token_endpoint", issuer + "/token");
        document.put("jwks_uri", issuer + "/jwks");
        document.put("response_types_supported", List.of("code"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of(DevIssuer.ALGORITHM.getName()));
        document.put("code_challenge_methods_supported", List.of("S256"));
        document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        return document;
    }

    private static DevSsoExchanges.Answer route(
            HttpExchange exchange, DevSsoExchanges flow, String discovery, String jwks) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        return switch (path) {
            case DISCOVERY_PATH ->
                get(method, new DevSsoExchanges.Answer(200, "application/json", discovery, Map.of()));
            case "/jwks" -> get(method, new DevSsoExchanges.Answer(200, "application/json", jwks, Map.of()));
            case "/authorize" ->
                "GET".equals(method)
                        ? flow.authorize(fields(exchange.getRequestURI().getRawQuery()))
                        : DevSsoExchanges.Answer.text(405, "use GET");
            case "/token" ->
                "POST".equals(method)
                        ? flow.token(
                                fields(readForm(exchange.getRequestBody())),
                                Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")))
                        : DevSsoExchanges.Answer.text(405, "use POST");
            default -> DevSsoExchanges.Answer.text(404, "not found");
        };
    }

    private static DevSsoExchanges.Answer get(String method, DevSsoExchanges.Answer answer) {
        return "GET".equals(method) ? answer : DevSsoExchanges.Answer.text(405, "use GET");
    }

    private static String readForm(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_FORM_BYTES + 1);
        if (bytes.length > MAX_FORM_BYTES) {
            // Treated as no form at all: the token endpoint then refuses for want of a client and a code.
            return "";
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Query strings and form bodies ({@code application/x-www-form-urlencoded}); the first value of a name wins. */
    static Map<String, String> fields(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (encoded == null) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            try {
                fields.putIfAbsent(
                        URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                // An unreadable field counts as absent; the endpoint then refuses for want of it.
            }
        }
        return fields;
    }

    private static void answer(HttpExchange exchange, DevSsoExchanges.Answer answer) throws IOException {
        try (exchange) {
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
