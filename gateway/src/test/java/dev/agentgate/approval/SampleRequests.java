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
        return request(
                id,
                now,
                STATEMENT,
                StatementType.DROP_TABLE,
                "destructive: DROP TABLE of shop.legacy_orders needs approval by dba-oncall",
                null);
    }

    /** An UPDATE by the same agent, counted to change {@code rows} rows before asking. */
    public static ApprovalRequest update(String id, Instant now, long rows) {
        return request(
                id,
                now,
                "UPDATE shop.orders SET status = 'void' WHERE status = 'open'",
                StatementType.UPDATE,
                "bulk update of shop.orders needs approval by dba-oncall",
                rows);
    }

    private static ApprovalRequest request(
            String id, Instant now, String statement, StatementType type, String reason, Long estimatedRows) {
        StatementFacts facts = StatementFacts.builder()
                .sql(statement)
                .type(type)
                .parsed(true)
                .digest(statement, "d1")
                .build();
        return new ApprovalRequest(
                id,
                new Requester("https://issuer.example", "agent-7", Map.of("name", "report agent")),
                "mariadb",
                "shop",
                statement,
                facts,
                reason,
                "dec-1",
                now,
                now.plus(Duration.ofMinutes(5)),
                List.of("dba-oncall"),
                1,
                ApprovalMode.HOLD,
                ApprovalStrength.ANY,
                "slack:#db-approvals",
                estimatedRows,
                1,
                Duration.ofMinutes(15));
    }
}
