package dev.agentgate.cli;

import dev.agentgate.audit.JsonLinesAuditSink;
import dev.agentgate.config.ConfigLoader;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.recording.RecordingIndexes;
import dev.agentgate.recording.RecordingReader;
import dev.agentgate.recording.SessionIndex;
import dev.agentgate.recording.StateSessionIndex;
import dev.agentgate.recording.VerifyKey;
import dev.agentgate.review.Playback;
import dev.agentgate.review.Reviewer;
import dev.agentgate.review.StatePlaybackLog;
import dev.agentgate.state.StateDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Option;

/** What every {@code sessions} command reads: the gateway's config (recording dir and store, key, state database). */
final class RecordingsOptions {

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "The gateway's YAML config file (its recording: and state: sections).")
    Path configFile;

    @Option(
            names = "--public-key",
            paramLabel = "FILE",
            description =
                    "Ed25519 public key (PEM) to check signatures with; default: the one of recording.signing_key.")
    Path publicKey;

    private GatewayConfig config;

    GatewayConfig config() {
        if (config == null) {
            config = ConfigLoader.load(configFile);
        }
        return config;
    }

    /** The local recordings, and the fleet's bucket when {@code recording.s3} is set (every gateway's sessions). */
    RecordingReader reader() {
        return RecordingReader.of(config().recording());
    }

    /** The state database's index when it can be opened (a fleet's every session), else the local recordings. */
    SessionIndex index() {
        try {
            return new StateSessionIndex(StateDatabase.open(config().state()));
        } catch (RuntimeException unavailable) {
            return new RecordingIndexes(reader());
        }
    }

    /**
     * Records that whoever runs the CLI watches {@code sessionId}: in the state database, and in {@code audit.jsonl}
     * when it is a file. Called before anything of the session is shown.
     *
     * @return why the playback could not be recorded (then nothing may be shown), empty once it is
     */
    Optional<String> recordPlayback(String sessionId) {
        Playback playback = new Playback(
                sessionId, Reviewer.localUser(System.getProperty("user.name", "unknown")), host(), Instant.now());
        try (StateDatabase state = StateDatabase.open(config().state())) {
            new StatePlaybackLog(state).watched(playback).join();
        } catch (RuntimeException failed) {
            return Optional.of(notRecorded(failed));
        }
        String jsonl = config().audit().jsonl();
        if (jsonl != null && !jsonl.equals(JsonLinesAuditSink.STDOUT)) {
            try (JsonLinesAuditSink export = JsonLinesAuditSink.open(jsonl)) {
                export.watched(playback).join();
            } catch (IOException | RuntimeException failed) {
                return Optional.of(notRecorded(failed));
            }
        }
        return Optional.empty();
    }

    private static String notRecorded(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return "this playback could not be recorded (" + cause.getMessage() + "), so the session is not shown";
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException unknown) {
            return "localhost";
        }
    }

    VerifyKey verifyKey() {
        if (publicKey != null) {
            return VerifyKey.load(publicKey);
        }
        return VerifyKey.ofSigningKey(config().recording().signingKey());
    }
}
