package dev.agentgate.cli;

import dev.agentgate.config.ConfigLoader;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.recording.RecordingIndexes;
import dev.agentgate.recording.RecordingReader;
import dev.agentgate.recording.SegmentSources;
import dev.agentgate.recording.SessionIndex;
import dev.agentgate.recording.SigningKey;
import dev.agentgate.recording.StateSessionIndex;
import dev.agentgate.recording.VerifyKey;
import dev.agentgate.state.StateDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
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
        return new RecordingReader(SegmentSources.of(config().recording()));
    }

    /** The state database's index when it can be opened (a fleet's every session), else the local recordings. */
    SessionIndex index() {
        try {
            return new StateSessionIndex(StateDatabase.open(config().state()));
        } catch (RuntimeException unavailable) {
            return new RecordingIndexes(reader());
        }
    }

    VerifyKey verifyKey() {
        if (publicKey != null) {
            return VerifyKey.load(publicKey);
        }
        Path signing = config().recording().signingKey();
        Path published = signing.resolveSibling(signing.getFileName() + ".pub");
        return Files.exists(published)
                ? VerifyKey.load(published)
                : SigningKey.load(signing).verifyKey();
    }
}
