package dev.agentgate.cli;

import dev.agentgate.recording.RecordingReader;
import dev.agentgate.recording.RecordingVerifier;
import dev.agentgate.recording.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agentgate sessions verify ID|--all}: checks hash chains and signed heads, says where a recording was
 * changed, and exits 1 when any was.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Check recordings for changes, deletions, reordering and truncation; exit 1 if any.")
final class SessionsVerifyCommand implements Callable<Integer> {

    @Mixin
    RecordingsOptions recordings;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Parameters(paramLabel = "ID", description = "The session id.")
        String sessionId;

        @Option(names = "--all", description = "Every recorded session.")
        boolean all;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        RecordingReader reader = recordings.reader();
        RecordingVerifier verifier = new RecordingVerifier(recordings.verifyKey());
        List<String> ids = which.all ? reader.sessionIds() : List.of(which.sessionId);
        int failed = 0;
        for (String id : ids) {
            VerifyReport report = verifier.verify(reader.read(id));
            out.printf(
                    "%s: %s (%d segment(s), %d record(s))%n",
                    id, report.intact() ? "OK" : "FAILED", report.segments(), report.records());
            report.problems().forEach(problem -> out.println("  problem: " + problem));
            report.notes().forEach(note -> out.println("  note: " + note));
            failed += report.intact() ? 0 : 1;
        }
        if (which.all) {
            out.printf("%d session(s) verified, %d failed%n", ids.size(), failed);
        }
        out.flush();
        return failed == 0 ? 0 : SessionsCommand.EXIT_FAILED;
    }
}
