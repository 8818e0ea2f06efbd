package dev.agentgate.recording;

import java.util.Optional;

/**
 * Whether statements may run now as far as recording is concerned: with {@code recording.on_failure: refuse} they
 * may not while the recorder is behind or cannot write. Asked on a session's thread for every statement, so it only
 * reads a field.
 */
public interface RecordingHealth {

    /** The health of a gateway that does not record, or does not refuse: statements always run. */
    RecordingHealth ALWAYS = Optional::empty;

    /** Why statements are refused now; empty while they may run. */
    Optional<String> refusal();
}
