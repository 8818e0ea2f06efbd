package dev.agentgate.admin;

import dev.agentgate.approval.DecideResult;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What approvers are told about their vote, the same through every channel: the HTTP status (Slack's
 * interactivity URL, the approval page, the admin API) and one sentence.
 */
public final class VoteAnswers {
    private VoteAnswers() {}

    public static int status(DecideResult result) {
        if (!(result instanceof DecideResult.Refused refused)) {
            return 200;
        }
        return switch (refused.code()) {
            case UNKNOWN_REQUEST -> 404;
            case OWN_REQUEST, NOT_AN_APPROVER, TOO_WEAK -> 403;
            case ALREADY_VOTED, ALREADY_DECIDED, EXPIRED -> 409;
            case UNAVAILABLE -> 503;
        };
    }

    public static String sentence(DecideResult result) {
        if (result instanceof DecideResult.Counted counted) {
            return "Your approval of " + counted.record().request().id() + " was counted; " + counted.missing()
                    + " more needed.";
        }
        if (result instanceof DecideResult.Decided decided) {
            return "Request " + decided.outcome().requestId() + " is "
                    + decided.outcome().state().jsonName() + ".";
        }
        return "Your vote was not counted: " + ((DecideResult.Refused) result).reason();
    }

    /** The JSON document the admin API answers a vote with. */
    public static Map<String, Object> document(DecideResult result) {
        Map<String, Object> document = new LinkedHashMap<>();
        if (result instanceof DecideResult.Counted counted) {
            document.put("result", "counted");
            document.put("id", counted.record().request().id());
            document.put("approvals_missing", counted.missing());
        } else if (result instanceof DecideResult.Decided decided) {
            document.put("result", "decided");
            document.put("id", decided.outcome().requestId());
            document.put("state", decided.outcome().state().jsonName());
        } else {
            DecideResult.Refused refused = (DecideResult.Refused) result;
            document.put("result", "refused");
            document.put("code", refused.code().name().toLowerCase(Locale.ROOT));
            document.put("error", refused.reason());
        }
        document.put("message", sentence(result));
        return document;
    }
}
