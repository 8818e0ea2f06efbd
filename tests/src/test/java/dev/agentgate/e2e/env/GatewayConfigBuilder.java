package dev.agentgate.e2e.env;

import dev.agentgate.testing.TestCertificates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds a gateway config YAML in the format of DESIGN.md and starts a {@link GatewayProcess} with it.
 * Defaults: TLS with a fresh certificate of a throwaway CA, one trusted issuer requiring {@code sub} and
 * {@code repository}, a generous failed-login limit (the suite makes many failed logins from 127.0.0.1),
 * policy disabled (dev_mode on for that; insecure token login stays off).
 */
public final class GatewayConfigBuilder {

    /** One {@code targets:} entry. */
    public record Target(String name, String host, int port, String user, String password, String database) {}

    private final Map<String, Target> targets = new LinkedHashMap<>();
    private int maxHandshakes;
    private int maxHandshakesPerAddress;
    private final List<String> javaOptions = new ArrayList<>(List.of("-Xmx256m"));
    private OidcIssuer issuer;
    private List<String> requiredClaims = List.of("sub", "repository");
    private int maxConnections = 200;
    private boolean tls = true;
    private boolean insecureDevLogin;
    private String switchPlugin = "caching_sha2_password";
    private long maxPacketSize = 1L << 30;
    private String serverVersion;
    private String opaUrl;
    private final Map<String, String> policySettings = new LinkedHashMap<>();
    private final Map<String, String> approvalSettings = new LinkedHashMap<>();
    private final Map<String, String> identitySettings = new LinkedHashMap<>();
    private final List<String> moreIssuers = new ArrayList<>();
    private int adminPort;
    private final List<String> sections = new ArrayList<>();
    private final Map<String, String> recordingSettings = new LinkedHashMap<>();

    GatewayConfigBuilder() {}

    /** A target named {@code name} on the shared MariaDB, as the service user, default schema = the test schema. */
    public GatewayConfigBuilder target(String name, MariaDbServer server) {
        return target(new Target(
                name, server.host(), server.port(), server.serviceUser(), server.servicePassword(), server.schema()));
    }

    public GatewayConfigBuilder target(Target target) {
        targets.put(target.name(), target);
        return this;
    }

    public GatewayConfigBuilder issuer(OidcIssuer value) {
        issuer = value;
        return this;
    }

    public GatewayConfigBuilder requiredClaims(String... claims) {
        requiredClaims = List.of(claims);
        return this;
    }

    public GatewayConfigBuilder maxConnections(int value) {
        maxConnections = value;
        return this;
    }

    /** JVM options replacing the default {@code -Xmx256m}, e.g. {@code -Xmx128m}. */
    public GatewayConfigBuilder javaOptions(String... options) {
        javaOptions.clear();
        javaOptions.addAll(List.of(options));
        return this;
    }

    /** No TLS certificate at all: the gateway cannot offer TLS. */
    public GatewayConfigBuilder withoutTls() {
        tls = false;
        return this;
    }

    /** dev_mode with allow_insecure_token_login: tokens accepted without TLS. */
    public GatewayConfigBuilder insecureDevLogin() {
        insecureDevLogin = true;
        return this;
    }

    public GatewayConfigBuilder switchPlugin(String plugin) {
        switchPlugin = plugin;
        return this;
    }

    /**
     * Statements are decided by the OPA at {@code url} (issue 3). Without this call the policy is disabled
     * ({@code policy.disabled: true}, which needs {@code dev_mode: true}): the relay is tested on its own.
     */
    public GatewayConfigBuilder opaPolicy(String url) {
        opaUrl = url;
        return this;
    }

    /**
     * Another key of the {@code policy:} section (docs/config.md) beside {@code opa_url}, written as given,
     * e.g. {@code policySetting("circuit_open_for", "500ms")} or {@code policySetting("cache_max_entries", "0")}.
     */
    public GatewayConfigBuilder policySetting(String key, String value) {
        policySettings.put(key, value);
        return this;
    }

    /** A key of the {@code approval:} section (docs/approvals.md), e.g. {@code approvalSetting("default_mode", "ticket")}. */
    public GatewayConfigBuilder approvalSetting(String key, String value) {
        approvalSettings.put(key, value);
        return this;
    }

    /**
     * Another key of the {@code identity:} section (docs/config.md) beside the issuers, written as given, e.g.
     * {@code identitySetting("max_token_lifetime", "15m")}.
     */
    public GatewayConfigBuilder identitySetting(String key, String value) {
        identitySettings.put(key, value);
        return this;
    }

    /**
     * Trusts a second issuer (same audience, claims and algorithms as the first), whose keys are found by OIDC
     * discovery at {@code issuerUrl}.
     */
    public GatewayConfigBuilder alsoTrust(String issuerUrl) {
        moreIssuers.add(issuerUrl);
        return this;
    }

    /** Serves the admin endpoint (health, sessions, metrics) on a free loopback port: {@link GatewayProcess#admin}. */
    public GatewayConfigBuilder adminEndpoint() {
        adminPort = FreePort.find();
        return this;
    }

    int adminPort() {
        return adminPort;
    }

    /**
     * More top-level YAML written as given, e.g. {@code instance_id: gw-a}, or a whole {@code state:},
     * {@code recording:} or {@code admin:} section (a fleet's replicas).
     */
    public GatewayConfigBuilder section(String yaml) {
        sections.add(yaml.endsWith("\n") ? yaml : yaml + "\n");
        return this;
    }

    /** Sets {@code recording.<key>} (records sessions), e.g. {@code dir} to a quoted path; the value is YAML. */
    public GatewayConfigBuilder recordingSetting(String key, String value) {
        recordingSettings.put(key, value);
        return this;
    }

    /** Records sessions into {@code directory} ({@code recording.dir}). */
    public GatewayConfigBuilder recordedTo(java.nio.file.Path directory) {
        return recordingSetting("dir", quote(directory.toAbsolutePath()));
    }

    /** The version string of the greeting; by default the gateway probes the target's. */
    public GatewayConfigBuilder serverVersion(String version) {
        serverVersion = version;
        return this;
    }

    /** {@code listen.max_handshakes} and {@code listen.max_handshakes_per_address}; the gateway's defaults otherwise. */
    public GatewayConfigBuilder handshakeLimits(int total, int perAddress) {
        maxHandshakes = total;
        maxHandshakesPerAddress = perAddress;
        return this;
    }

    public GatewayConfigBuilder maxPacketSize(long bytes) {
        maxPacketSize = bytes;
        return this;
    }

    boolean tlsEnabled() {
        return tls;
    }

    public GatewayProcess start() {
        if (issuer == null) {
            throw new IllegalStateException("a gateway needs an issuer: call issuer(OidcIssuer) before start()");
        }
        if (targets.isEmpty()) {
            throw new IllegalStateException("a gateway needs at least one target: call target(...) before start()");
        }
        return GatewayProcess.start(this, List.copyOf(javaOptions));
    }

    /** The config file's text for a gateway listening on {@code port}. */
    String toYaml(int port, TestCertificates certificate) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("dev_mode: ")
                .append(insecureDevLogin || opaUrl == null)
                .append('\n')
                .append("listen:\n  host: 127.0.0.1\n  port: ")
                .append(port)
                .append('\n')
                .append("  max_connections: ")
                .append(maxConnections)
                .append('\n')
                .append("  handshake_timeout: 10s\n  idle_timeout: 8h\n  shutdown_grace: 1s\n")
                .append("  max_packet_size: ")
                .append(maxPacketSize)
                .append('\n')
                .append(maxHandshakes == 0 ? "" : "  max_handshakes: " + maxHandshakes + "\n")
                .append(
                        maxHandshakesPerAddress == 0
                                ? ""
                                : "  max_handshakes_per_address: " + maxHandshakesPerAddress + "\n")
                .append("  server_version: ")
                .append(serverVersion == null ? "null" : quote(serverVersion))
                .append('\n')
                .append("tls:\n")
                .append("  cert_file: ")
                .append(certificate == null ? "null" : quote(certificate.serverCertificate()))
                .append('\n')
                .append("  key_file: ")
                .append(certificate == null ? "null" : quote(certificate.serverKey()))
                .append('\n')
                .append("  allow_insecure_token_login: ")
                .append(insecureDevLogin)
                .append('\n')
                .append("auth:\n  switch_plugin: ")
                .append(switchPlugin)
                .append("\n  max_failed_logins_per_minute: 100000\n")
                .append("identity:\n  clock_skew: 60s\n");
        identitySettings.forEach((key, value) ->
                yaml.append("  ").append(key).append(": ").append(value).append('\n'));
        yaml.append("  issuers:\n");
        appendIssuer(yaml, issuer.issuer());
        moreIssuers.forEach(url -> appendIssuer(yaml, url));
        if (adminPort != 0) {
            yaml.append("admin:\n  enabled: true\n  host: 127.0.0.1\n  port: ")
                    .append(adminPort)
                    .append('\n');
        }
        yaml.append("policy:\n").append(opaUrl == null ? "  disabled: true\n" : "  opa_url: " + quote(opaUrl) + "\n");
        policySettings.forEach((key, value) ->
                yaml.append("  ").append(key).append(": ").append(value).append('\n'));
        if (!approvalSettings.isEmpty()) {
            yaml.append("approval:\n");
            approvalSettings.forEach((key, value) ->
                    yaml.append("  ").append(key).append(": ").append(value).append('\n'));
        }
        if (!recordingSettings.isEmpty()) {
            yaml.append("recording:\n");
            recordingSettings.forEach((key, value) ->
                    yaml.append("  ").append(key).append(": ").append(value).append('\n'));
        }
        sections.forEach(yaml::append);
        yaml.append("targets:\n");
        targets.values().forEach(target -> appendTarget(yaml, target));
        return yaml.toString();
    }

    private void appendIssuer(StringBuilder yaml, String issuerUrl) {
        yaml.append("    - issuer: ")
                .append(quote(issuerUrl))
                .append('\n')
                .append("      audiences: [")
                .append(OidcIssuer.AUDIENCE)
                .append("]\n")
                .append("      jwks_uri: null\n")
                .append("      algorithms: [RS256, PS256, ES256]\n")
                .append("      required_claims: [")
                .append(String.join(", ", requiredClaims))
                .append("]\n");
    }

    private static void appendTarget(StringBuilder yaml, Target target) {
        yaml.append("  ")
                .append(target.name())
                .append(":\n")
                .append("    host: ")
                .append(quote(target.host()))
                .append('\n')
                .append("    port: ")
                .append(target.port())
                .append('\n')
                .append("    user: ")
                .append(quote(target.user()))
                .append('\n')
                .append("    password: ")
                .append(quote(target.password()))
                .append('\n')
                .append("    database: ")
                .append(target.database() == null ? "null" : quote(target.database()))
                .append('\n')
                .append("    connect_timeout: 5s\n")
                .append("    tls:\n      mode: preferred\n");
    }

    /** A YAML double-quoted scalar (JSON string escaping is valid YAML). */
    private static String quote(Object value) {
        return '"'
                + value.toString()
                        .chars()
                        .mapToObj(GatewayConfigBuilder::escape)
                        .collect(Collectors.joining())
                + '"';
    }

    private static String escape(int c) {
        if (c == '"' || c == '\\') {
            return "\\" + (char) c;
        }
        return c < 0x20 ? String.format("\\u%04x", c) : String.valueOf((char) c);
    }
}
