package dev.agentgate.approval.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.slack.api.app_backend.SlackSignature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks that a request to the interactivity URL comes from Slack: the {@code X-Slack-Signature} is the one
 * Slack's SDK computes for the timestamp and body under the app's signing secret, the timestamp is within five
 * minutes of now (either side), and the same signature was not seen before inside that window (a captured
 * click replayed within the window is refused too).
 *
 * <p>The SDK's {@code SlackSignature.Verifier} is not used for the final check: it compares signatures with
 * {@code String.equals}, whose time depends on how much of a forgery is right, and it accepts any timestamp in
 * the future. Its generator encodes with the platform charset, so only ASCII secrets and bodies are accepted,
 * for which every charset agrees (Slack's secrets are hex, its bodies URL-encoded).
 */
public final class SlackSignatureVerifier {
    /** Slack's own recommendation: older requests may be replays. */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    private final SlackSignature.Generator slack;
    private final Clock clock;
    private final Cache<String, Boolean> seenSignatures;

    public SlackSignatureVerifier(String signingSecret, Clock clock) {
        if (signingSecret == null || signingSecret.isBlank()) {
            throw new IllegalArgumentException("approval.slack.signing_secret must not be empty");
        }
        if (!isAscii(signingSecret.getBytes(StandardCharsets.UTF_8))) {
            throw new IllegalArgumentException("approval.slack.signing_secret must be ASCII, as Slack's are");
        }
        this.slack = new SlackSignature.Generator(signingSecret);
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
        if (!isAscii(body)) {
            return Optional.of("body is not URL-encoded ASCII");
        }
        String expected = slack.generate(timestamp.strip(), new String(body, StandardCharsets.US_ASCII));
        if (expected == null
                || !MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.US_ASCII),
                        signature.strip().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("signature does not match");
        }
        if (seenSignatures.asMap().putIfAbsent(signature.strip(), Boolean.TRUE) != null) {
            return Optional.of("replay of a request already handled");
        }
        return Optional.empty();
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
