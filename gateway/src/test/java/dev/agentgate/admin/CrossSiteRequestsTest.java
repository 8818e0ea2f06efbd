package dev.agentgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrossSiteRequestsTest {

    private static AdminRequest post(String... headerPairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "gateway.example:9090");
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], headerPairs[i + 1]);
        }
        return AdminRequest.of("POST", "/review/key", headers, new byte[0], "/10.0.0.1:5000");
    }

    @Test
    void aFormFromTheListenersOwnPageIsHandled() {
        assertThat(CrossSiteRequests.refusal(
                        post("Sec-Fetch-Site", "same-origin", "Origin", "http://gateway.example:9090")))
                .isEmpty();
    }

    @Test
    void aRequestTheUserStartedThemselvesIsHandled() {
        assertThat(CrossSiteRequests.refusal(post("Sec-Fetch-Site", "none"))).isEmpty();
    }

    @Test
    void aFormOfAPageThatSendsNoReferrerCarriesAnOpaqueOriginAndIsHandledOnItsFetchSite() {
        assertThat(CrossSiteRequests.refusal(post("Sec-Fetch-Site", "same-origin", "Origin", "null")))
                .isEmpty();
    }

    @Test
    void anOpaqueOriginWithoutFetchMetadataIsRefused() {
        assertThat(CrossSiteRequests.refusal(post("Origin", "null")))
                .hasValue("the form was sent from another origin (null)");
    }

    @Test
    void aRequestWithoutFetchMetadataOrOriginIsLeftToTheFormsOwnChecks() {
        assertThat(CrossSiteRequests.refusal(post())).isEmpty();
    }

    @Test
    void aFormFromAnotherSiteIsRefusedNamingTheFetchSite() {
        assertThat(CrossSiteRequests.refusal(post("Sec-Fetch-Site", "cross-site")))
                .hasValue("the form was sent from another site (Sec-Fetch-Site: cross-site)");
        assertThat(CrossSiteRequests.refusal(post("Sec-Fetch-Site", "same-site")))
                .isPresent();
    }

    @Test
    void aFormWhoseOriginIsAnotherHostIsRefusedWhateverItsFetchSite() {
        assertThat(CrossSiteRequests.refusal(post("Sec-Fetch-Site", "same-origin", "Origin", "https://evil.example")))
                .hasValue("the form was sent from another origin (https://evil.example)");
        assertThat(CrossSiteRequests.refusal(post("Origin", "http://gateway.example:9091")))
                .isPresent();
    }

    @Test
    void behindAProxyTheOriginIsComparedWithTheForwardedHost() {
        assertThat(CrossSiteRequests.refusal(
                        post("Origin", "https://agentgate.example", "X-Forwarded-Host", "agentgate.example")))
                .isEmpty();
    }
}
