package dev.agentgate.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DevSsoGrantsTest {
    private static final String CLIENT = "agentgate-approvals";
    private static final String CALLBACK = "http://127.0.0.1:19090/approve/callback";
    private static final String VERIFIER = OidcCodeFlow.random() + OidcCodeFlow.random();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final DevSsoGrants grants = new DevSsoGrants(clock);

    private String code() {
        return grants.issue(CLIENT, CALLBACK, "nonce-1", DevSsoGrants.s256(VERIFIER));
    }

    @Test
    void aCodeRedeemedByItsClientWithTheVerifierOfItsSignInIsGrantedWithTheSignInsNonce() {
        DevSsoGrants.Redemption redemption = grants.redeem(code(), CLIENT, CALLBACK, VERIFIER);

        assertThat(redemption)
                .isInstanceOfSatisfying(
                        DevSsoGrants.Redemption.Granted.class,
                        granted -> assertThat(granted.grant().nonce()).isEqualTo("nonce-1"));
    }

    @Test
    void aCodeRedeemedWithAnotherPkceVerifierIsRefused() {
        DevSsoGrants.Redemption redemption =
                grants.redeem(code(), CLIENT, CALLBACK, OidcCodeFlow.random() + OidcCodeFlow.random());

        assertThat(redemption)
                .isEqualTo(new DevSsoGrants.Redemption.Refused(
                        "code_verifier does not match the code_challenge (PKCE S256)"));
    }

    @Test
    void aCodeRedeemedWithoutAVerifierIsRefused() {
        assertThat(grants.redeem(code(), CLIENT, CALLBACK, null))
                .isEqualTo(new DevSsoGrants.Redemption.Refused("code_verifier missing or malformed"));
    }

    @Test
    void aCodeIsGrantedOnceAndRefusedWhenRedeemedAgain() {
        String code = code();
        grants.redeem(code, CLIENT, CALLBACK, VERIFIER);

        assertThat(grants.redeem(code, CLIENT, CALLBACK, VERIFIER))
                .isEqualTo(new DevSsoGrants.Redemption.Refused("unknown or already used authorization code"));
    }

    @Test
    void aCodeRefusedForAWrongVerifierIsUsedUpAndTheRightVerifierNoLongerRedeemsIt() {
        String code = code();
        grants.redeem(code, CLIENT, CALLBACK, OidcCodeFlow.random() + OidcCodeFlow.random());

        assertThat(grants.redeem(code, CLIENT, CALLBACK, VERIFIER))
                .isEqualTo(new DevSsoGrants.Redemption.Refused("unknown or already used authorization code"));
    }

    @Test
    void aCodeRedeemedOnceItsSixtySecondsArePastIsRefused() {
        String code = code();
        clock.advance(Duration.ofSeconds(60));

        assertThat(grants.redeem(code, CLIENT, CALLBACK, VERIFIER))
                .isEqualTo(new DevSsoGrants.Redemption.Refused("authorization code expired"));
    }

    @Test
    void aCodeRedeemedForAnotherRedirectUriIsRefused() {
        assertThat(grants.redeem(code(), CLIENT, "http://127.0.0.1:19090/elsewhere", VERIFIER))
                .isEqualTo(
                        new DevSsoGrants.Redemption.Refused("redirect_uri differs from the authorization request's"));
    }

    @Test
    void aCodeRedeemedByAnotherClientIsRefused() {
        assertThat(grants.redeem(code(), "someone-else", CALLBACK, VERIFIER))
                .isEqualTo(new DevSsoGrants.Redemption.Refused("authorization code was issued to another client"));
    }
}
