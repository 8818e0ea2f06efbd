package dev.agentgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code agentgate sessions ...}: list, show, replay, verify and export recorded sessions. */
@Command(
        name = "sessions",
        mixinStandardHelpOptions = true,
        description = "Recorded sessions: list, show, play, verify, export.",
        subcommands = {
            SessionsListCommand.class,
            SessionsShowCommand.class,
            SessionsPlayCommand.class,
            SessionsVerifyCommand.class,
            SessionsExportCommand.class,
        })
public final class SessionsCommand implements Runnable {
    /** A recording that does not verify, or a session that is not there. */
    static final int EXIT_FAILED = 1;
    /** A playback that could not be recorded, so nothing was shown. */
    static final int EXIT_NOT_RECORDED = 2;

    /** Whether the playback of {@code sessionId} is recorded; says why not on stderr when it is not. */
    static boolean playbackRecorded(RecordingsOptions recordings, String sessionId, CommandLine commandLine) {
        java.util.Optional<String> refused = recordings.recordPlayback(sessionId);
        refused.ifPresent(why -> {
            commandLine.getErr().println(why);
            commandLine.getErr().flush();
        });
        return refused.isEmpty();
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command, e.g. 'list'");
    }
}
