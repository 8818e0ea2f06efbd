package dev.agentgate.approval.slack;

import com.slack.api.app_backend.interactive_components.response.ActionResponse;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.webhook.Payload;
import dev.agentgate.approval.ApprovalOutcome;
import dev.agentgate.approval.ApprovalRequest;
import dev.agentgate.approval.Approver;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Slack messages of one approval request: the question (who, what, where, why, the statement, until when,
 * Approve / Deny buttons carrying the request id, the signed link to the approval page) and the same message
 * once decided, without buttons. Messages are Slack SDK models: {@link Payload} for the incoming webhook,
 * {@link ActionResponse} for an interaction's {@code response_url}.
 */
public final class SlackMessages {
    /** Action ids of the two buttons; the interactivity endpoint reads them back. */
    public static final String APPROVE_ACTION = "approval.approve";

    public static final String DENY_ACTION = "approval.deny";
    /** Room left for the fences around the statement in its section. */
    private static final int MAX_STATEMENT = BlockKit.MAX_SECTION_TEXT - 16;

    private SlackMessages() {}

    /** The message asking for a decision; {@code link} is the signed approval page link, or null. */
    public static Payload question(ApprovalRequest request, URI link) {
        List<LayoutBlock> blocks = new ArrayList<>(details(request, "Approval needed: " + request.reason()));
        blocks.add(BlockKit.actions(
                "approval:" + request.id(),
                BlockKit.button("Approve", APPROVE_ACTION, request.id(), "primary"),
                BlockKit.button("Deny", DENY_ACTION, request.id(), "danger")));
        if (link != null) {
            blocks.add(BlockKit.context(
                    "Or decide on the approval page (sign-in required): <" + link + "|open " + request.id() + ">"));
        }
        return message("Approval needed for " + request.id() + ": " + request.reason(), blocks);
    }

    /** The message once decided: the same details and who decided, no buttons. */
    public static Payload outcome(ApprovalRequest request, ApprovalOutcome outcome) {
        String verdict = verdictLine(outcome);
        List<LayoutBlock> blocks = new ArrayList<>(details(request, request.id() + ": " + verdict));
        blocks.add(BlockKit.context(BlockKit.escape(verdict)));
        return message(request.id() + " " + verdict, blocks);
    }

    /** {@code message} sent through a click's {@code response_url}, in place of the clicked message. */
    static ActionResponse replacing(Payload message) {
        return ActionResponse.builder()
                .text(message.getText())
                .blocks(message.getBlocks())
                .replaceOriginal(true)
                .build();
    }

    /** A note only the person who clicked sees, leaving the clicked message as it is. */
    static ActionResponse privateNote(String text) {
        return ActionResponse.builder()
                .responseType("ephemeral")
                .replaceOriginal(false)
                .text(text)
                .build();
    }

    static String verdictLine(ApprovalOutcome outcome) {
        return switch (outcome.state()) {
            case APPROVED -> "approved by " + names(outcome.approvers());
            case DENIED ->
                "denied by "
                        + (outcome.denier() == null
                                ? "an approver"
                                : outcome.denier().name());
            case EXPIRED -> "expired without a decision";
            case CANCELLED -> "cancelled: the client stopped waiting";
            case PENDING -> throw new IllegalArgumentException("an outcome is never pending");
        };
    }

    private static List<LayoutBlock> details(ApprovalRequest request, String title) {
        String where = request.database() == null ? request.target() : request.target() + " / " + request.database();
        List<String> fields = new ArrayList<>(List.of(
                "*Who*\n"
                        + BlockKit.escape(request.requester().issuer() + "|"
                                + request.requester().subject()),
                "*Where*\n" + BlockKit.escape(where),
                "*Why*\n" + BlockKit.escape(request.reason()),
                "*Open until*\n<!date^" + request.expiresAt().getEpochSecond() + "^{date_short_pretty} {time_secs}|"
                        + request.expiresAt() + ">",
                "*Approvals needed*\n" + request.minApprovals(),
                "*Request*\n`" + request.id() + "`"));
        if (request.estimatedRows() != null) {
            fields.add("*Rows it would change*\n" + request.estimatedRows()
                    + " (more are rolled back, unless run inside the client's own transaction)");
        }
        return List.of(
                BlockKit.header(title),
                BlockKit.fields(fields),
                BlockKit.section("```" + BlockKit.escape(truncate(request.statement())) + "```"));
    }

    private static String truncate(String statement) {
        return statement.length() <= MAX_STATEMENT ? statement : statement.substring(0, MAX_STATEMENT) + "…";
    }

    private static String names(List<Approver> approvers) {
        return approvers.stream().map(Approver::name).collect(Collectors.joining(", "));
    }

    private static Payload message(String fallbackText, List<LayoutBlock> blocks) {
        return Payload.builder().text(fallbackText).blocks(List.copyOf(blocks)).build();
    }
}
