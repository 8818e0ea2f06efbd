package dev.agentgate.e2e.masking;

import dev.agentgate.e2e.env.GatewayConfigBuilder;
import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.env.ShippedPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The gateway of the masking suites: the shipped policy in a real OPA, target {@value PiiShop#NAME} on the shared MariaDB. */
final class MaskingGateway {

  /** {@code policy.masking.hash_key} (the shipped data.json hashes card numbers). */
  static final String HASH_KEY = "e2e-masking-hash-key-0123456789";

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
   * A gateway extension (register it after {@code opa}) that creates {@link PiiShop}, starts {@code opa} with
   * the shipped policy written to {@code policyDirectory} and passes its URL to the gateway.
   */
  static GatewayExtension withShippedPolicy(OpaSidecar opa, Supplier<Path> policyDirectory) {
    return GatewayExtension.configuredWithIssuer((issuer, config) -> {
      PiiShop.create();
      MariaDbServer mariadb = MariaDbServer.shared();
      return config.opaPolicy(opa.start(ShippedPolicy.files(issuer, policyDirectory.get())))
          .policySetting("timeout", "5s")
          .policySetting("masking", "{hash_key: \"" + HASH_KEY + "\"}")
          .target(new GatewayConfigBuilder.Target(GatewayExtension.TARGET, mariadb.host(), mariadb.port(),
              mariadb.serviceUser(), mariadb.servicePassword(), PiiShop.NAME));
    });
  }
}
