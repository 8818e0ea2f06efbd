package dev.agentgate.review;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where playbacks are recorded (the state database, the SIEM export). A recording is shown only once its playback is
 * recorded: a failed future means the viewer is refused.
 */
public interface PlaybackLog {

    /** Records {@code playback}; completes once it is kept, never on the caller's thread when that would block. */
    CompletableFuture<Void> watched(Playback playback);

    /** Every log in turn: the playback counts as recorded once all of them kept it. */
    static PlaybackLog all(List<PlaybackLog> logs) {
        List<PlaybackLog> copy = List.copyOf(logs);
        return playback -> CompletableFuture.allOf(
                copy.stream().map(log -> log.watched(playback)).toArray(CompletableFuture[]::new));
    }
}
