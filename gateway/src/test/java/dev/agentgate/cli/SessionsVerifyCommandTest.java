package dev.agentgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.RecordingConfig;
import dev.agentgate.recording.RecordingService;
import dev.agentgate.recording.SegmentArchive;
import dev.agentgate.recording.SessionIndex;
import dev.agentgate.session.ResponseBudget;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionEvents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SessionsVerifyCommandTest {

    @TempDir
    Path dir;

    @Test
    void verifyAllExitsZeroForIntactRecordingsAndOneWhenASegmentWasDeleted() throws Exception {
        Path recordings = dir.resolve("recordings");
        RecordingConfig config = RecordingConfig.inDirectory(recordings);
        try (RecordingService service = RecordingService.start(config, "gw1", SessionIndex.NONE, SegmentArchive.NONE)) {
            SessionEvents sink = service.recorder();
            sink.on(new SessionEvent.CommandReceived("gw1-01", Instant.now(), 1, "COM_QUERY", "SELECT 1", List.of()));
            sink.on(new SessionEvent.CommandCompleted(
                    "gw1-01", Instant.now(), 1, "ok", 0, 0, 0, null, 0, 0, Duration.ZERO, ResponseBudget.Cut.NONE));
            sink.on(new SessionEvent.Ended("gw1-01", Instant.now(), SessionEvent.EndReason.CLIENT_QUIT, null));
        }
        Path configFile = Files.writeString(
                dir.resolve("agentgate.yaml"),
                "identity:\n  issuers:\n    - issuer: https://issuer.example.com\n      audiences: [agentgate]\n"
                        + "targets:\n  appdb:\n    host: db.internal\n    user: svc\n    password: secret\n"
                        + "recording:\n  dir: " + recordings + "\n");

        assertThat(run("sessions", "verify", "--all", "--config", configFile.toString()))
                .isZero();

        Files.delete(recordings.resolve("gw1-01").resolve("segment-000001.jsonl.gz"));
        assertThat(run("sessions", "verify", "gw1-01", "--config", configFile.toString()))
                .isEqualTo(1);
    }

    private static int run(String... args) {
        CommandLine command = AgentgateCommand.commandLine();
        command.setOut(new PrintWriter(new StringWriter()));
        command.setErr(new PrintWriter(new StringWriter()));
        return command.execute(args);
    }
}
