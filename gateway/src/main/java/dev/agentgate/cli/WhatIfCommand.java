package dev.agentgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgate.policy.OpaClient;
import dev.agentgate.policy.OpaSettings;
import dev.agentgate.policy.whatif.CandidateOpa;
import dev.agentgate.policy.whatif.ChangeTable;
import dev.agentgate.policy.whatif.RecordedDecision;
import dev.agentgate.policy.whatif.RecordedDecisions;
import dev.agentgate.policy.whatif.WhatIfReplay;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agentgate policy whatif}: asks a candidate policy every recorded decision's exact OPA input again and lists
 * the decisions whose action would change. Exit code 0 when none would, 1 when some would, 2 on errors.
 */
@Command(
        name = "whatif",
        mixinStandardHelpOptions = true,
        description = {
            "Replays recorded decisions (their exact OPA inputs) against a candidate policy and lists those whose"
                    + " action would change: statement, identity, old -> new action, the new reason.",
            "Exit code: 0 nothing would change, 1 something would, 2 error."
        })
final class WhatIfCommand implements Callable<Integer> {

    static final int NOTHING_CHANGES = 0;
    static final int SOMETHING_CHANGES = 1;
    static final int ERROR = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    private Candidate candidate;

    static final class Candidate {
        @Option(
                names = "--bundle",
                paramLabel = "FILE",
                description = "Candidate bundle (opa build output, or a policy directory), served by a local OPA.")
        Path bundle;

        @Option(names = "--opa-url", paramLabel = "URL", description = "An OPA already serving the candidate.")
        URI opaUrl;
    }

    @ArgGroup(multiplicity = "1", exclusive = false)
    private Recorded recorded;

    static final class Recorded {
        @Option(
                names = "--inputs",
                paramLabel = "FILE",
                description = "Recorded decisions as JSON lines: the gateway's audit.jsonl export, or OPA's decision"
                        + " log. May be repeated.")
        List<Path> inputs;

        @Option(
                names = "--sessions",
                paramLabel = "FILTER",
                description = "Decisions of the recording store's sessions (with --config): all, a session id, or"
                        + " key=value[,key=value...] of subject, target, since, until, action, limit.")
        String sessions;

        @Option(
                names = "--config",
                paramLabel = "FILE",
                description = "The gateway's YAML config, whose recording store --sessions reads.")
        Path config;
    }

    @Option(names = "--subject", paramLabel = "SUB", description = "Only decisions of this token subject.")
    private String subject;

    @Option(names = "--target", paramLabel = "NAME", description = "Only decisions on this target.")
    private String target;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            description = "Only decisions taken at or after this RFC 3339 time, e.g. 2026-12-01T00:00:00Z.")
    private String since;

    @Option(
            names = "--opa",
            paramLabel = "PATH",
            description = "The opa binary for --bundle (default: $OPA, else ~/.cache/agentgate/opa-v1.22.2/opa,"
                    + " else opa on the PATH).")
    private String opaBinary;

    @Option(
            names = "--decision-path",
            paramLabel = "PATH",
            defaultValue = OpaSettings.DEFAULT_DECISION_PATH,
            description = "The decision rule under /v1/data (default: ${DEFAULT-VALUE}).")
    private String decisionPath;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            List<RecordedDecision> recorded = decisions();
            if (candidate.bundle == null) {
                return replay(candidate.opaUrl, recorded);
            }
            try (CandidateOpa opa = CandidateOpa.start(
                    opaBinary == null ? CandidateOpa.defaultBinary() : opaBinary, candidate.bundle)) {
                return replay(opa.url(), recorded);
            }
        } catch (RecordedDecisions.Unreadable | IOException | RuntimeException e) {
            err.println("whatif: " + e.getMessage());
            err.flush();
            return ERROR;
        }
    }

    private List<RecordedDecision> decisions() throws RecordedDecisions.Unreadable, IOException {
        Instant from;
        try {
            from = since == null ? null : Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--since must be an RFC 3339 time such as 2026-12-01T00:00:00Z, was '" + since + "'");
        }
        RecordedDecisions reader = new RecordedDecisions();
        List<RecordedDecision> all = new ArrayList<>();
        if (recorded.inputs != null) {
            for (Path file : recorded.inputs) {
                all.addAll(reader.read(file));
            }
        }
        if (recorded.sessions != null || recorded.config != null) {
            all.addAll(new RecordedSessionDecisions(recorded.config, recorded.sessions).read(reader));
        }
        return all.stream()
                .filter(RecordedDecisions.filter(subject, target, from))
                .toList();
    }

    private int replay(URI opaUrl, List<RecordedDecision> recorded) {
        OpaSettings settings = new OpaSettings(opaUrl, decisionPath, Duration.ofSeconds(10), 32, Duration.ofSeconds(1));
        WhatIfReplay.Result result;
        try (OpaClient client = new OpaClient(settings, new ObjectMapper())) {
            result = new WhatIfReplay(client).replay(recorded);
        }
        PrintWriter out = spec.commandLine().getOut();
        ChangeTable.print(result, out);
        if (!result.failed().isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            WhatIfReplay.Change first = result.failed().get(0);
            err.println("whatif: the candidate at " + opaUrl + " could not be asked about "
                    + result.failed().size() + " decision(s), e.g. '"
                    + first.recorded().statement() + "': "
                    + first.newReason());
            err.flush();
            return ERROR;
        }
        return result.changed().isEmpty() ? NOTHING_CHANGES : SOMETHING_CHANGES;
    }
}
