package dev.agentgate.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads and validates the YAML config file. Values may reference environment variables as
 * {@code ${NAME}} or {@code ${NAME:-default}}; substitution happens per scalar value after parsing,
 * so a variable's content can never change the file's structure. Relative paths resolve against
 * the config file's directory. Any problem is a {@link ConfigException} naming the key path.
 */
public final class ConfigLoader {
    private static final List<String> SECTIONS = List.of(
            "dev_mode",
            "instance_id",
            "listen",
            "tls",
            "auth",
            "identity",
            "policy",
            "admin",
            "targets",
            "data_dir",
            "state",
            "approval",
            "recording",
            "audit",
            "review");

    /** Duplicate keys fail: with YAML's "last one wins" a pasted block would silently override. */
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigLoader() {}

    /** Loads {@code file} with the process environment. */
    public static GatewayConfig load(Path file) {
        return load(file, System::getenv);
    }

    /** Loads {@code file}, looking variables up in {@code env} (returns null for unset). */
    public static GatewayConfig load(Path file, Function<String, String> env) {
        Path absolute = file.toAbsolutePath().normalize();
        ConfigNode root = ConfigNode.root(parse(absolute), env, absolute.getParent());
        root.rejectUnknownKeys(SECTIONS);
        boolean devMode = root.bool("dev_mode", false);
        ListenConfig listen = ServerSectionsReader.listen(root.section("listen"));
        TlsConfig tls = ServerSectionsReader.tls(root.section("tls"), devMode);
        AuthConfig auth = ServerSectionsReader.auth(root.section("auth"));
        IdentityConfig identity = IdentitySectionReader.identity(root.section("identity"), devMode);
        PolicyConfig policy = PolicySectionReader.policy(root.section("policy"), devMode);
        AdminConfig admin = ServerSectionsReader.admin(root.section("admin"), listen);
        Map<String, TargetConfig> targets = TargetSectionReader.targets(root);
        String instanceId = root.string("instance_id", InstanceIds.fromHost(env));
        if (!InstanceIds.isValid(instanceId)) {
            throw ConfigException.at(
                    "instance_id",
                    "must be 1-63 letters, digits, '.', '_' or '-' starting with a letter" + " or digit, was '"
                            + instanceId + "'");
        }
        RecordingConfig recording = RecordingSectionReader.recording(root);
        StateConfig state = StateSectionsReader.state(root.section("state"), root);
        requireFleetHashKey(policy, recording, state);
        ApprovalConfig approval = StateSectionsReader.approval(root.section("approval"));
        ApprovalChannelsConfig approvalChannels = ApprovalChannelsReader.channels(root.section("approval"), devMode);
        AuditConfig audit = ServerSectionsReader.audit(root.section("audit"));
        ReviewConfig review = ReviewSectionReader.review(root);
        return new GatewayConfig(
                devMode,
                listen,
                tls,
                auth,
                identity,
                policy,
                admin,
                targets,
                instanceId,
                state,
                approval,
                approvalChannels,
                recording,
                audit,
                review);
    }

    /**
     * Gateways that share a recording store or a state database are replicas of one fleet: a reviewer compares
     * sessions served by different replicas, so one masked value must hash alike on each, which the random key a
     * process makes up without {@code hash_key} cannot give.
     */
    private static void requireFleetHashKey(PolicyConfig policy, RecordingConfig recording, StateConfig state) {
        if (policy.disabled() || policy.masking().hashKey() != null) {
            return;
        }
        String shared = recording.s3().isPresent()
                ? "recording.s3"
                : state.isSqlite() ? null : "a shared state database (state.url " + state.displayUrl() + ")";
        if (shared != null) {
            throw ConfigException.at(
                    "policy.masking.hash_key",
                    "is required with " + shared + ": every replica of a fleet must hash a masked value alike,"
                            + " and without a key each gateway process hashes with a random key of its own");
        }
    }

    private static JsonNode parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file not found: " + file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e, e);
        }
        try {
            return YAML.readTree(text);
        } catch (JacksonException e) {
            throw new ConfigException("invalid YAML in " + file + ": " + e.getOriginalMessage() + locationOf(e), e);
        }
    }

    /** SnakeYAML's syntax messages carry their own position; Jackson's (duplicate keys) do not. */
    private static String locationOf(JacksonException e) {
        return e.getLocation() == null || e.getOriginalMessage().contains(" line ")
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
    }
}
