package dev.agentgate.approval.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.agentgate.approval.HmacSha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks that a request to the interactivity URL comes from Slack: the {@code X-Slack-Signature} is Slack's
 * v0 HMAC-SHA256 of {@code v0:<timestamp>:<body>} under the app's signing secret, the timestamp is within
 * five minutes of now, and the same signature was not seen before inside that window (a captured click
 * replayed within the window is refused too).
 */
public final class SlackSignatureVerifier {
    /** Slack's own recommendation: older requests may be replays. */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    private static final String VERSION = "v0";

    private final SlackSigner signer;
    private final Clock clock;
    private final Cache<String, Boolean> seenSignatures;

    public SlackSignatureVerifier(String signingSecret, Clock clock) {
        this.signer = new SlackSigner(signingSecret);
        this.clock = Objects.requireNonNull(clock, "clock");
        // Twice the window: a signature must be remembered for as long as its timestamp can be accepted,
        // whichever side of now that timestamp lies.
        this.seenSignatures = Caffeine.newBuilder()
                .expireAfterWrite(WINDOW.multipliedBy(2))
                .maximumSize(100_000)
                .ticker(Ticker.systemTicker())
                .build();
    }

    /**
     * @return empty when the request is Slack's and new, else why it is refused (for the log, never for the
     *     caller: a forger learns nothing from a 401)
     */
    public Optional<String> refusal(String timestamp, String signature, byte[] body) {
        if (timestamp == null || signature == null) {
            return Optional.of("missing X-Slack-Request-Timestamp or X-Slack-Signature");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return Optional.of("timestamp is not a number");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - seconds);
        if (skew > WINDOW.toSeconds()) {
            return Optional.of("timestamp " + skew + " s away from now");
        }
        byte[] expected = signer.signature(timestamp.strip(), body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("signature does not match");
        }
        if (seenSignatures.asMap().putIfAbsent(signature.strip(), Boolean.TRUE) != null) {
            return Optional.of("replay of a request already handled");
        }
        return Optional.empty();
    }

    /** Computes Slack's request signature; shared with tests and tools that play Slack. */
    public static final class SlackSigner {
        private final byte[] key;

        public SlackSigner(String signingSecret) {
            if (signingSecret == null || signingSecret.isBlank()) {
                throw new IllegalArgumentException("approval.slack.signing_secret must not be empty");
            }
            this.key = signingSecret.getBytes(StandardCharsets.UTF_8);
        }

        /** {@code v0=<hex HMAC-SHA256 of v0:timestamp:body>}. */
        public String signature(String timestamp, byte[] body) {
            byte[] prefix = (VERSION + ":" + timestamp + ":").getBytes(StandardCharsets.UTF_8);
            byte[] mac = HmacSha256.of(key, prefix, body);
            return VERSION + "=" + HexFormat.of().formatHex(mac);
        }
    }
}
