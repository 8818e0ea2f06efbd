package dev.agentgate.approval.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.slack.api.app_backend.SlackSignature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SlackSignatureVerifierTest {
    private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final Instant NOW = Instant.parse("2026-12-02T01:00:00Z");
    private static final byte[] BODY =
            "payload=%7B%22type%22%3A%22block_actions%22%7D".getBytes(StandardCharsets.UTF_8);

    private final SlackSignatureVerifier verifier =
            new SlackSignatureVerifier(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));
    /** Signs as Slack does: the SDK's generator. */
    private final SlackSignature.Generator slack = new SlackSignature.Generator(SECRET);

    private static String seconds(Instant at) {
        return String.valueOf(at.getEpochSecond());
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void aRequestSignedWithTheSigningSecretJustNowIsAccepted() {
        String timestamp = seconds(NOW.minusSeconds(3));

        assertThat(verifier.refusal(timestamp, slack.generate(timestamp, text(BODY)), BODY))
                .isEmpty();
    }

    @Test
    void slacksDocumentedExampleRequestIsAcceptedAtItsTime() {
        // The example of Slack's "Verifying requests from Slack" page.
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        SlackSignatureVerifier atThatTime =
                new SlackSignatureVerifier(SECRET, Clock.fixed(Instant.ofEpochSecond(1531420618), ZoneOffset.UTC));

        assertThat(atThatTime.refusal(
                        "1531420618",
                        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
                        body.getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }

    @Test
    void aSignatureMadeWithAnotherSecretIsRefused() {
        String timestamp = seconds(NOW);
        String forged = new SlackSignature.Generator("another-secret").generate(timestamp, text(BODY));

        assertThat(verifier.refusal(timestamp, forged, BODY)).contains("signature does not match");
    }

    @Test
    void aBodyChangedAfterSigningIsRefused() {
        String timestamp = seconds(NOW);
        String signature = slack.generate(timestamp, text(BODY));

        assertThat(verifier.refusal(timestamp, signature, "payload=%7B%7D".getBytes(StandardCharsets.UTF_8)))
                .contains("signature does not match");
    }

    @Test
    void aTimestampMoreThanFiveMinutesOldIsRefusedEvenWhenCorrectlySigned() {
        String stale = seconds(NOW.minusSeconds(301));

        assertThat(verifier.refusal(stale, slack.generate(stale, text(BODY)), BODY))
                .contains("timestamp 301 s away from now");
    }

    @Test
    void aTimestampMoreThanFiveMinutesAheadIsRefusedEvenWhenCorrectlySigned() {
        String ahead = seconds(NOW.plusSeconds(301));

        assertThat(verifier.refusal(ahead, slack.generate(ahead, text(BODY)), BODY))
                .contains("timestamp 301 s away from now");
    }

    @Test
    void aBodyThatIsNotAsciiIsRefused() {
        // Slack's bodies are URL-encoded; the SDK would sign raw bytes in the platform charset.
        byte[] body = "payload={\"user\":\"zoë\"}".getBytes(StandardCharsets.UTF_8);
        String timestamp = seconds(NOW);

        assertThat(verifier.refusal(timestamp, slack.generate(timestamp, text(body)), body))
                .contains("body is not URL-encoded ASCII");
    }

    @Test
    void aSigningSecretThatIsNotAsciiIsRejectedAtStart() {
        assertThatThrownBy(() -> new SlackSignatureVerifier("geheimnis-ß", Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("approval.slack.signing_secret must be ASCII");
    }

    @Test
    void theSameSignedRequestIsRefusedTheSecondTimeInsideTheWindow() {
        String timestamp = seconds(NOW.minusSeconds(10));
        String signature = slack.generate(timestamp, text(BODY));
        verifier.refusal(timestamp, signature, BODY);

        assertThat(verifier.refusal(timestamp, signature, BODY)).contains("replay of a request already handled");
    }

    @Test
    void aRequestWithoutSignatureHeadersIsRefused() {
        assertThat(verifier.refusal(null, null, BODY)).isPresent();
        assertThat(verifier.refusal("not-a-number", "v0=00", BODY)).contains("timestamp is not a number");
    }
}
