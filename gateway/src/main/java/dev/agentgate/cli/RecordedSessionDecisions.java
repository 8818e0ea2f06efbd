package dev.agentgate.cli;

import dev.agentgate.policy.whatif.RecordedDecision;
import dev.agentgate.policy.whatif.RecordedDecisions;
import dev.agentgate.recording.RecordedSession;
import dev.agentgate.recording.RecordingReader;
import dev.agentgate.recording.SessionIndex;
import dev.agentgate.recording.SessionSummary;
import dev.agentgate.review.RecordedSessions;
import dev.agentgate.review.SessionFilter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code policy whatif --sessions FILTER --config FILE} replays: the decisions recorded in the sessions the filter
 * selects from the gateway's recording store ({@code all}, one session id, or {@code key=value,...} as the sessions
 * API's filters).
 */
final class RecordedSessionDecisions {

    private final Path config;
    private final String filter;

    RecordedSessionDecisions(Path config, String filter) {
        if (config == null || filter == null) {
            throw new IllegalArgumentException("--sessions and --config go together: which sessions, of which gateway");
        }
        this.config = config;
        this.filter = filter;
    }

    List<RecordedDecision> read(RecordedDecisions decisions) throws IOException {
        RecordingsOptions recordings = new RecordingsOptions();
        recordings.configFile = config;
        RecordingReader reader = recordings.reader();
        List<RecordedDecision> found = new ArrayList<>();
        for (String sessionId : sessionIds(recordings, reader)) {
            RecordedSession session = reader.read(sessionId);
            if (session.segments().isEmpty()) {
                throw new IllegalArgumentException("no recording of session " + sessionId);
            }
            found.addAll(decisions.fromRecording(session));
        }
        return found;
    }

    private List<String> sessionIds(RecordingsOptions recordings, RecordingReader reader) throws IOException {
        if (!filter.contains("=")) {
            return filter.equals("all") ? reader.sessionIds() : List.of(filter);
        }
        SessionFilter selected = SessionFilter.of(SessionFilter.fieldsOf(filter));
        try (SessionIndex index = recordings.index()) {
            return new RecordedSessions(index, reader, recordings::verifyKey)
                    .list(selected).stream().map(SessionSummary::sessionId).toList();
        }
    }
}
