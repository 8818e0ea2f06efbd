package dev.agentgate.cli;

import dev.agentgate.recording.RecordedSession;
import dev.agentgate.recording.RecordedStatement;
import dev.agentgate.recording.SessionIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code agentgate sessions show ID}: who, when, and one line per statement with its decision and outcome. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show a session and its statements.")
final class SessionsShowCommand implements Callable<Integer> {

    @Mixin
    RecordingsOptions recordings;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The session id.")
    String sessionId;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        RecordedSession session = recordings.reader().read(sessionId);
        if (session.segments().isEmpty()) {
            spec.commandLine().getErr().println("no recording of session " + sessionId);
            return SessionsCommand.EXIT_FAILED;
        }
        if (!SessionsCommand.playbackRecorded(recordings, sessionId, spec.commandLine())) {
            return SessionsCommand.EXIT_NOT_RECORDED;
        }
        try (SessionIndex index = recordings.index()) {
            index.find(sessionId).ifPresent(summary -> out.println("status: " + summary.status()));
        }
        session.start()
                .ifPresent(start -> out.printf(
                        "session %s%n  identity: %s (%s)%n  target:   %s%n  client:   %s (%s)%n  started:  %s%n",
                        sessionId,
                        start.path("identity").path("subject").asText(),
                        start.path("identity").path("issuer").asText(),
                        start.path("target").asText(),
                        start.path("client_address").asText(),
                        start.path("client_program").asText(),
                        start.path("at").asText()));
        session.end()
                .ifPresent(end -> out.printf(
                        "  ended:    %s (%s)%n",
                        end.path("at").asText(), end.path("reason").asText()));
        out.printf("  segments: %d%n%n", session.segments().size());
        for (RecordedStatement statement : session.statements()) {
            out.printf(
                    "#%-4d %s %-17s %-8s %-8s %s%n",
                    statement.commandNo(),
                    statement.at(),
                    statement.command(),
                    statement.action() == null ? "-" : statement.action(),
                    statement.outcome(),
                    statement.sql() == null ? "" : statement.sql().strip());
        }
        out.flush();
        return 0;
    }
}
