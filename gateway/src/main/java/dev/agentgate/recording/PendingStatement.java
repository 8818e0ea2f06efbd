package dev.agentgate.recording;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgate.session.ResponseBudget;
import dev.agentgate.session.SessionEvent;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * A statement's record while its command runs: what was asked, decided, approved and answered. It becomes one record
 * when the command completes, so a statement is written whole (and durable) or not at all.
 */
final class PendingStatement {

    private final ObjectNode record;
    private final ArrayNode response;

    PendingStatement(SessionEvent.CommandReceived received) {
        record = EventRecords.typed("statement", received);
        record.put("command_no", received.commandNo());
        record.put("command", received.commandType());
        record.put("sql", received.sql());
        ArrayNode parameters = record.putArray("parameters");
        received.parameters().forEach(parameters::add);
        response = RecordJson.MAPPER.createArrayNode();
    }

    void decided(SessionEvent.CommandDecided decided) {
        EventRecords.decision(record, decided);
    }

    void approval(SessionEvent.ApprovalResolved resolved) {
        EventRecords.approval(record, resolved);
    }

    void response(ByteBuffer payload) {
        ByteBuffer copy = payload.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        response.add(Base64.getEncoder().encodeToString(bytes));
    }

    /** The finished record. */
    ObjectNode completed(SessionEvent.CommandCompleted completed, ResponseBudget.Cut cut) {
        EventRecords.completed(record, completed);
        finish(cut);
        return record;
    }

    /** The record of a command the session ended in the middle of. */
    ObjectNode unfinished(String why) {
        record.put("outcome", "unfinished");
        record.put("error_message", why);
        finish(ResponseBudget.Cut.NONE);
        return record;
    }

    private void finish(ResponseBudget.Cut cut) {
        record.set("response", response);
        ObjectNode cutNode = record.putObject("response_cut");
        cutNode.put("packets", cut.packets());
        cutNode.put("bytes", cut.bytes());
    }
}
