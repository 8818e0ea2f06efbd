package dev.agentgate.approval.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.approval.ApprovalRecord;
import dev.agentgate.approval.ApprovalRequest;
import dev.agentgate.approval.ApprovalState;
import dev.agentgate.approval.SampleRequests;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalPageHtmlTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private static String pageFor(ApprovalRequest request) {
        return ApprovalPageHtml.request(
                new ApprovalRecord(request, ApprovalState.PENDING, null, List.of()), "issuer|dana", "1", "sig", "csrf");
    }

    @Test
    void aRequestWhoseEffectWasCountedShowsHowManyRowsItWouldChange() {
        String page = pageFor(SampleRequests.update("apr-000000000001", NOW, 42));

        assertThat(page)
                .contains("<dt>Rows it would change</dt><dd id=\"rows\">42 (more are rolled back, unless run inside"
                        + " the client&#39;s own transaction)</dd>");
    }

    @Test
    void aRequestWithoutACountedEffectShowsNoRowCount() {
        String page = pageFor(SampleRequests.drop("apr-000000000002", NOW));

        assertThat(page).doesNotContain("Rows it would change").contains("DROP TABLE shop.legacy_orders");
    }
}
