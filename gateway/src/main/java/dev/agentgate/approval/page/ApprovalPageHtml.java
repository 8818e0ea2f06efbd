package dev.agentgate.approval.page;

import dev.agentgate.approval.ApprovalRecord;
import dev.agentgate.approval.ApprovalRequest;
import dev.agentgate.approval.Vote;
import java.util.stream.Collectors;

/** The approval page's HTML: one request with its Approve / Deny form, or one sentence. No scripts. */
final class ApprovalPageHtml {
    private ApprovalPageHtml() {}

    static String request(ApprovalRecord record, String signedInAs, String exp, String sig, String csrf) {
        ApprovalRequest request = record.request();
        String votes = record.votes().isEmpty()
                ? "none yet"
                : record.votes().stream().map(ApprovalPageHtml::vote).collect(Collectors.joining(", "));
        String form = record.state().isFinal()
                ? "<p id=\"state\">This request is " + record.state().jsonName() + ".</p>"
                : "<form method=\"post\" action=\"/approve/" + escape(request.id()) + "\">"
                        + hidden("exp", exp) + hidden("sig", sig) + hidden("csrf", csrf)
                        + "<button id=\"approve\" name=\"decision\" value=\"approve\">Approve</button> "
                        + "<button id=\"deny\" name=\"decision\" value=\"deny\">Deny</button></form>";
        return page(
                "Approval request " + request.id(),
                "<p>Signed in as <span id=\"approver\">" + escape(signedInAs) + "</span></p>"
                        + "<dl>"
                        + row(
                                "Requested by",
                                request.requester().issuer() + "|"
                                        + request.requester().subject())
                        + row(
                                "Where",
                                request.database() == null
                                        ? request.target()
                                        : request.target() + " / " + request.database())
                        + row("Why", request.reason())
                        + row("Open until", request.expiresAt().toString())
                        + row("Approvals needed", String.valueOf(request.minApprovals()))
                        + row("Votes", votes)
                        + rowsItWouldChange(request)
                        + "</dl><pre id=\"statement\">" + escape(request.statement()) + "</pre>" + form);
    }

    /** The UPDATE's or DELETE's effect counted before asking, when it was: what approving lets it change. */
    private static String rowsItWouldChange(ApprovalRequest request) {
        if (request.estimatedRows() == null) {
            return "";
        }
        return "<dt>Rows it would change</dt><dd id=\"rows\">"
                + escape(request.estimatedRows()
                        + " (more are rolled back, unless run inside the client's own transaction)")
                + "</dd>";
    }

    static String message(String title, String sentence) {
        return page(title, "<p id=\"message\">" + escape(sentence) + "</p>");
    }

    private static String vote(Vote vote) {
        return vote.approver().name() + " " + vote.verdict().jsonName();
    }

    private static String row(String label, String value) {
        return "<dt>" + escape(label) + "</dt><dd>" + escape(value) + "</dd>";
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + escape(value) + "\">";
    }

    private static String page(String title, String body) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title></head><body><h1>" + escape(title) + "</h1>" + body + "</body></html>";
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
