package dev.agentgate.approval;

import java.net.URI;

/**
 * Where approvers can decide a request, for the notifier to put into its message.
 *
 * @param page the approval page for this request ({@code approval.public_url} + {@code /approvals/<id>}); null when
 *     no public URL is configured
 */
public record ApprovalLinks(URI page) {
    public static final ApprovalLinks NONE = new ApprovalLinks(null);
}
