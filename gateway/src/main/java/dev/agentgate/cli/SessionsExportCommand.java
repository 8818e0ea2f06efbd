package dev.agentgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.recording.RecordedSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agentgate sessions export ID --format jsonl}: every record, one JSON document a line. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a session's records.")
final class SessionsExportCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    RecordingsOptions recordings;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The session id.")
    String sessionId;

    @Option(names = "--format", defaultValue = "jsonl", description = "Output format: jsonl (the only one).")
    String format;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("jsonl")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format: only jsonl is supported");
        }
        RecordedSession session = recordings.reader().read(sessionId);
        if (session.segments().isEmpty()) {
            spec.commandLine().getErr().println("no recording of session " + sessionId);
            return SessionsCommand.EXIT_FAILED;
        }
        if (!SessionsCommand.playbackRecorded(recordings, sessionId, spec.commandLine())) {
            return SessionsCommand.EXIT_NOT_RECORDED;
        }
        PrintWriter out = spec.commandLine().getOut();
        for (JsonNode record : session.records()) {
            out.println(JSON.writeValueAsString(record));
        }
        out.flush();
        return 0;
    }
}
