package dev.agentgate.e2e.masking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgate.e2e.env.GatewayConfigBuilder;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OidcIssuer;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.ShippedPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The gateway of the masking suites: the shipped policy in a real OPA, target {@value PiiShop#NAME} on the shared MariaDB. */
final class MaskingGateway {

    /** {@code policy.masking.hash_key} (the shipped data.json hashes card numbers). */
    static final String HASH_KEY = "e2e-masking-hash-key-0123456789";

    static final String WRITING_AGENT_ROLE = "agent_writer";
    static final String WRITING_AGENT_GROUP = "ai-writers";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MaskingGateway() {}

    /** What the {@code hash} strategy makes of {@code value} with {@link #HASH_KEY}: HMAC-SHA256, lower-case hex. */
    static String hashed(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HASH_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Adds to the test copy of the shipped data one role the shipped data has not: {@value #WRITING_AGENT_ROLE}, an
     * agent (PII masked) that may also write every table of {@value PiiShop#NAME}, bound to the IdP group {@value
     * #WRITING_AGENT_GROUP}. The write paths of masking are tried with it; nothing else of the policy changes.
     */
    private static void addWritingAgent(Path data, String issuer) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(data.toFile());
            ObjectNode config = (ObjectNode) root.path("agentgate").path("config");
            ObjectNode role = ((ObjectNode) config.path("roles")).putObject(WRITING_AGENT_ROLE);
            role.put("description", "e2e: an agent that may also write the shop schema")
                    .put("agent", true);
            role.putArray("grants")
                    .addObject()
                    .put("target", "*")
                    .put("schema", PiiShop.NAME)
                    .put("table", "*")
                    .putArray("access")
                    .add("read")
                    .add("write");
            ObjectNode binding = ((ArrayNode) config.path("role_bindings")).insertObject(0);
            binding.put("issuer", issuer).putObject("claims").put("groups", WRITING_AGENT_GROUP);
            binding.putArray("roles").add(WRITING_AGENT_ROLE);
            JSON.writerWithDefaultPrettyPrinter().writeValue(data.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add the writing agent to " + data, e);
        }
    }

    /** A token of the role {@value #WRITING_AGENT_ROLE}. */
    static String writingAgent(OidcIssuer issuer) {
        return issuer.token("agent-w")
                .claim("groups", List.of(WRITING_AGENT_GROUP))
                .mint();
    }

    /**
     * A gateway extension (register it after {@code opa}) that creates {@link PiiShop}, starts {@code opa} with
     * the shipped policy written to {@code policyDirectory} and passes its URL to the gateway.
     */
    static GatewayExtension withShippedPolicy(OpaSidecar opa, Supplier<Path> policyDirectory) {
        return GatewayExtension.configuredWithIssuer((issuer, config) -> {
            PiiShop.create();
            MariaDbServer mariadb = MariaDbServer.shared();
            Path[] policy = ShippedPolicy.files(issuer, policyDirectory.get());
            addWritingAgent(policyDirectory.get().resolve("data.json"), issuer.issuer());
            return config.opaPolicy(opa.start(policy))
                    .policySetting("timeout", "5s")
                    .policySetting("masking", "{hash_key: \"" + HASH_KEY + "\"}")
                    .target(new GatewayConfigBuilder.Target(
                            GatewayExtension.TARGET,
                            mariadb.host(),
                            mariadb.port(),
                            mariadb.serviceUser(),
                            mariadb.servicePassword(),
                            PiiShop.NAME));
        });
    }
}
