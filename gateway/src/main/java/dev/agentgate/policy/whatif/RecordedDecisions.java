package dev.agentgate.policy.whatif;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.recording.RecordedSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads recorded decisions from JSON lines: the gateway's SIEM export ({@code audit.jsonl}: its {@code
 * command_decided} lines, one decision per entry of {@code policy_inputs}), or OPA's own decision log (lines with
 * {@code input} and {@code result}), or a session's recording. Other lines (other events, blank lines) are skipped; a line that is not JSON is
 * an error naming the file and line.
 */
public final class RecordedDecisions {

    private final ObjectMapper mapper = new ObjectMapper();

    /** Thrown for a source that cannot be read; the message names the file and line. */
    public static final class Unreadable extends Exception {
        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public List<RecordedDecision> read(Path file) throws Unreadable {
        List<RecordedDecision> decisions = new ArrayList<>();
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    addFrom(parse(line, file, number), decisions);
                }
            }
        } catch (IOException e) {
            throw new Unreadable("cannot read " + file + ": " + e.getMessage(), e);
        }
        return decisions;
    }

    /**
     * The decisions of a recorded session: every statement record's {@code decision.policy_inputs}, each with the
     * action and reason the policy of the day gave it.
     */
    public List<RecordedDecision> fromRecording(RecordedSession session) {
        List<RecordedDecision> decisions = new ArrayList<>();
        for (JsonNode record : session.records()) {
            JsonNode decision = record.path("decision");
            if (!"statement".equals(record.path("type").asText()) || !decision.isObject()) {
                continue;
            }
            JsonNode inputs = decision.path("policy_inputs");
            for (int i = 0; i < inputs.size(); i++) {
                JsonNode each = decision.path("decisions").path(i);
                decisions.add(new RecordedDecision(
                        session.sessionId(),
                        decision.path("at").asText(""),
                        inputs.get(i),
                        each.path("kind").asText("?"),
                        each.path("reason").asText("")));
            }
        }
        return decisions;
    }

    private JsonNode parse(String line, Path file, int number) throws Unreadable {
        try {
            return mapper.readTree(line);
        } catch (JsonProcessingException e) {
            throw new Unreadable(file + " line " + number + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void addFrom(JsonNode line, List<RecordedDecision> out) {
        if ("command_decided".equals(line.path("event").asText())) {
            JsonNode inputs = line.path("policy_inputs");
            JsonNode decisions = line.path("decisions");
            for (int i = 0; i < inputs.size(); i++) {
                JsonNode decision = decisions.path(i);
                out.add(new RecordedDecision(
                        line.path("session_id").asText(""),
                        line.path("at").asText(""),
                        inputs.get(i),
                        decision.path("action").asText("?"),
                        decision.path("reason").asText("")));
            }
        } else if (line.path("input").isObject() && line.has("result")) {
            JsonNode result = line.path("result");
            out.add(new RecordedDecision(
                    line.path("input").path("session").path("session_id").asText(""),
                    line.path("timestamp").asText(""),
                    line.path("input"),
                    result.path("action").asText("undefined"),
                    result.path("reason").asText("")));
        }
    }

    /**
     * Which recorded decisions to replay: by subject, by target, and taken (or, without a time, in a session started)
     * at or after {@code since}; a null criterion selects all.
     */
    public static Predicate<RecordedDecision> filter(String subject, String target, Instant since) {
        return decision -> (subject == null || subject.equals(decision.subject()))
                && (target == null || target.equals(decision.target()))
                && (since == null || !takenBefore(decision, since));
    }

    private static boolean takenBefore(RecordedDecision decision, Instant since) {
        String at = decision.at().isEmpty() ? decision.sessionStartedAt() : decision.at();
        try {
            return Instant.parse(at).isBefore(since);
        } catch (RuntimeException unknownTime) {
            return true; // a decision of unknown time is not known to be recent: --since leaves it out
        }
    }
}
