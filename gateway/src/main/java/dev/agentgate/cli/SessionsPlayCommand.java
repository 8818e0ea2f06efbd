package dev.agentgate.cli;

import dev.agentgate.recording.RecordedSession;
import dev.agentgate.recording.RecordedStatement;
import dev.agentgate.recording.TranscriptRenderer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agentgate sessions play ID}: the session replayed as the mysql client would have shown it. */
@Command(
        name = "play",
        mixinStandardHelpOptions = true,
        description = "Replay a session: statements, decisions and the results the client received.")
final class SessionsPlayCommand implements Callable<Integer> {

    @Mixin
    RecordingsOptions recordings;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The session id.")
    String sessionId;

    @Option(names = "--speed", defaultValue = "1", description = "Replay N times faster than it ran (default 1).")
    double speed;

    @Option(names = "--fast", description = "No pauses between statements.")
    boolean fast;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (speed <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed must be positive");
        }
        RecordedSession session = recordings.reader().read(sessionId);
        if (session.segments().isEmpty()) {
            spec.commandLine().getErr().println("no recording of session " + sessionId);
            return SessionsCommand.EXIT_FAILED;
        }
        if (!SessionsCommand.playbackRecorded(recordings, sessionId, spec.commandLine())) {
            return SessionsCommand.EXIT_NOT_RECORDED;
        }
        TranscriptRenderer renderer = new TranscriptRenderer(spec.commandLine().getOut());
        session.start().ifPresent(start -> renderer.header(sessionId, start));
        Instant previous = null;
        for (RecordedStatement statement : session.statements()) {
            if (!fast && previous != null) {
                long pause = (long) (Duration.between(previous, statement.at()).toMillis() / speed);
                renderer.flush();
                Thread.sleep(Math.max(0, Math.min(pause, 60_000)));
            }
            previous = statement.at();
            renderer.statement(statement);
        }
        session.end()
                .ifPresent(end -> spec.commandLine()
                        .getOut()
                        .println("-- session ended: " + end.path("reason").asText()));
        renderer.flush();
        return 0;
    }
}
