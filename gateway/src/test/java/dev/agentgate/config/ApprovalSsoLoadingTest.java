package dev.agentgate.config;

import static dev.agentgate.config.ConfigFixture.ISSUER;
import static dev.agentgate.config.ConfigFixture.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code approval.sso}: the issuer approvers sign in at, and why a plain-http one is for development only. */
class ApprovalSsoLoadingTest {
    @TempDir
    Path dir;

    private ConfigFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ConfigFixture(dir);
    }

    private static String approval(String issuer) {
        return "approval:\n"
                + "  link_key: \"0123456789abcdef0123456789abcdef\"\n"
                + "  sso:\n"
                + "    issuer: " + issuer + "\n"
                + "    client_id: agentgate-approvals\n"
                + "    client_secret: \"client-secret\"\n"
                + "    redirect_uri: http://127.0.0.1:19090/approve/callback\n";
    }

    @Test
    void readsAnHttpsIssuer() {
        ApprovalSsoConfig sso = fixture.load(ISSUER + TARGET + approval("https://login.example.com"))
                .approvalChannels()
                .sso()
                .orElseThrow();

        assertThat(sso.issuer()).isEqualTo(URI.create("https://login.example.com"));
    }

    @Test
    void refusesAPlainHttpLoopbackIssuerSuchAsTheDevSsoIssuerWithoutDevMode() {
        fixture.assertRejected(
                ISSUER + TARGET + approval("http://127.0.0.1:18280"),
                "approval.sso.issuer: must be an https URL unless dev_mode is true (a plain-http issuer such as"
                        + " `agentgate dev sso` is for development only), was http://127.0.0.1:18280");
    }

    @Test
    void acceptsThePlainHttpLoopbackIssuerOfAgentgateDevSsoInDevMode() {
        ApprovalSsoConfig sso = fixture.load("dev_mode: true\n" + ISSUER + TARGET + approval("http://127.0.0.1:18280"))
                .approvalChannels()
                .sso()
                .orElseThrow();

        assertThat(sso.issuer()).isEqualTo(URI.create("http://127.0.0.1:18280"));
    }

    @Test
    void refusesAPlainHttpIssuerOnAnotherHostEvenInDevMode() {
        fixture.assertRejected(
                "dev_mode: true\n" + ISSUER + TARGET + approval("http://login.internal"),
                "approval.sso.issuer: must be an https URL (http only for localhost or 127.0.0.1), was"
                        + " http://login.internal");
    }
}
