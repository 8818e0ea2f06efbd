package dev.agentgate.cli;

import dev.agentgate.recording.SessionIndex;
import dev.agentgate.recording.SessionSummary;
import dev.agentgate.review.SessionFilter;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code agentgate sessions list}: one line per session, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List recorded sessions, newest first.")
final class SessionsListCommand implements Callable<Integer> {

    @Mixin
    RecordingsOptions recordings;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--subject", description = "Only sessions of this token subject.")
    String subject;

    @Option(names = "--target", description = "Only sessions to this target.")
    String target;

    @Option(
            names = "--since",
            paramLabel = "WHEN",
            description = "Only sessions started since WHEN: an ISO instant (2026-01-31T12:00:00Z) or an age (2h, 7d).")
    String since;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (SessionIndex index = recordings.index()) {
            out.printf(
                    "%-40s %-20s %-12s %-24s %-24s %6s %6s %s%n",
                    "SESSION", "SUBJECT", "TARGET", "STARTED", "ENDED", "STMTS", "REFUSED", "STATUS");
            for (SessionSummary session : index.list(new SessionIndex.Query(subject, target, since(), limit))) {
                out.printf(
                        "%-40s %-20s %-12s %-24s %-24s %6d %6d %s%n",
                        session.sessionId(),
                        session.subject(),
                        session.target(),
                        session.startedAt(),
                        session.endedAt() == null ? "-" : session.endedAt(),
                        session.statements(),
                        session.refused(),
                        session.status());
            }
        }
        out.flush();
        return 0;
    }

    private Instant since() {
        try {
            return SessionFilter.time("--since", since);
        } catch (IllegalArgumentException refused) {
            throw new CommandLine.ParameterException(spec.commandLine(), refused.getMessage());
        }
    }
}
