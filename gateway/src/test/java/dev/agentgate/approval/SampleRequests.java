package dev.agentgate.approval;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Approval requests as the gateway makes them, for tests of the channels that show them to people. */
public final class SampleRequests {
    public static final String STATEMENT = "DROP TABLE shop.legacy_orders";

    private SampleRequests() {}

    /** A DROP by an agent that dba-oncall must approve, open for five minutes from {@code now}. */
    public static ApprovalRequest drop(String id, Instant now) {
        StatementFacts facts = StatementFacts.builder()
                .sql(STATEMENT)
                .type(StatementType.DROP_TABLE)
                .parsed(true)
                .digest(STATEMENT, "d1")
                .build();
        return new ApprovalRequest(
                id,
                new Requester("https://issuer.example", "agent-7", Map.of("name", "report agent")),
                "mariadb",
                "shop",
                STATEMENT,
                facts,
                "destructive: DROP TABLE of shop.legacy_orders needs approval by dba-oncall",
                "dec-1",
                now,
                now.plus(Duration.ofMinutes(5)),
                List.of("dba-oncall"),
                1,
                ApprovalMode.HOLD,
                ApprovalStrength.ANY,
                "slack:#db-approvals",
                null,
                1,
                Duration.ofMinutes(15));
    }
}
