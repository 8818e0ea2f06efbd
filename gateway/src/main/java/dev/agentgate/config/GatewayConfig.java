package dev.agentgate.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole gateway configuration, as loaded by {@link ConfigLoader} or built in tests with
 * {@link #builder()}.
 *
 * @param targets by target name, in file order
 */
public record GatewayConfig(
        boolean devMode,
        ListenConfig listen,
        TlsConfig tls,
        AuthConfig auth,
        IdentityConfig identity,
        PolicyConfig policy,
        AdminConfig admin,
        Map<String, TargetConfig> targets,
        String instanceId,
        StateConfig state,
        ApprovalConfig approval,
        ApprovalChannelsConfig approvalChannels,
        RecordingConfig recording,
        AuditConfig audit,
        ReviewConfig review) {

    public GatewayConfig {
        Objects.requireNonNull(listen, "listen must not be null");
        Objects.requireNonNull(tls, "tls must not be null");
        Objects.requireNonNull(auth, "auth must not be null");
        Objects.requireNonNull(identity, "identity must not be null");
        Objects.requireNonNull(policy, "policy must not be null");
        Objects.requireNonNull(admin, "admin must not be null");
        Objects.requireNonNull(recording, "recording must not be null");
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(approval, "approval must not be null");
        Objects.requireNonNull(approvalChannels, "approvalChannels must not be null");
        Objects.requireNonNull(audit, "audit must not be null");
        Objects.requireNonNull(review, "review must not be null");
        if (!InstanceIds.isValid(instanceId)) {
            throw new IllegalArgumentException(
                    "instance_id must be 1-63 letters, digits, '.', '_' or '-', was " + instanceId);
        }
        targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
    }

    /** Without approvals' shared state, recording or a SIEM export: the defaults. */
    public GatewayConfig(
            boolean devMode,
            ListenConfig listen,
            TlsConfig tls,
            AuthConfig auth,
            IdentityConfig identity,
            PolicyConfig policy,
            AdminConfig admin,
            Map<String, TargetConfig> targets,
            String instanceId) {
        this(
                devMode,
                listen,
                tls,
                auth,
                identity,
                policy,
                admin,
                targets,
                instanceId,
                StateConfig.sqlite(java.nio.file.Path.of(StateConfig.DEFAULT_FILE)),
                ApprovalConfig.defaults(),
                ApprovalChannelsConfig.none(),
                RecordingConfig.disabled(),
                AuditConfig.off(),
                ReviewConfig.nobody());
    }

    /** The target a client selects by logging in as {@code name}. */
    public Optional<TargetConfig> target(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    /** Starts from defaults, no issuers and no targets; unlike the loader it does not validate. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every part of this config, to change some of them. */
    public Builder toBuilder() {
        Builder builder = new Builder()
                .devMode(devMode)
                .listen(listen)
                .tls(tls)
                .auth(auth)
                .identity(identity)
                .policy(policy)
                .admin(admin)
                .instanceId(instanceId)
                .state(state)
                .approval(approval)
                .approvalChannels(approvalChannels)
                .recording(recording)
                .audit(audit)
                .review(review);
        targets.values().forEach(builder::target);
        return builder;
    }

    /** Builds a {@link GatewayConfig} piece by piece (for tests and embedding). */
    public static final class Builder {
        private boolean devMode;
        private ListenConfig listen = ListenConfig.defaults();
        private TlsConfig tls = TlsConfig.disabled();
        private AuthConfig auth = AuthConfig.defaults();
        private IdentityConfig identity = new IdentityConfig(IdentityConfig.DEFAULT_CLOCK_SKEW, List.of(), null);
        private PolicyConfig policy = PolicyConfig.defaults();
        private AdminConfig admin = AdminConfig.disabled();
        private final Map<String, TargetConfig> targets = new LinkedHashMap<>();
        private String instanceId = "agentgate";
        private RecordingConfig recording = RecordingConfig.disabled();
        private StateConfig state = StateConfig.sqlite(java.nio.file.Path.of(StateConfig.DEFAULT_FILE));
        private ApprovalConfig approval = ApprovalConfig.defaults();
        private ApprovalChannelsConfig approvalChannels = ApprovalChannelsConfig.none();
        private AuditConfig audit = AuditConfig.off();
        private ReviewConfig review = ReviewConfig.nobody();

        private Builder() {}

        public Builder devMode(boolean devMode) {
            this.devMode = devMode;
            return this;
        }

        public Builder listen(ListenConfig listen) {
            this.listen = listen;
            return this;
        }

        public Builder tls(TlsConfig tls) {
            this.tls = tls;
            return this;
        }

        public Builder auth(AuthConfig auth) {
            this.auth = auth;
            return this;
        }

        public Builder identity(IdentityConfig identity) {
            this.identity = identity;
            return this;
        }

        public Builder policy(PolicyConfig policy) {
            this.policy = policy;
            return this;
        }

        public Builder admin(AdminConfig admin) {
            this.admin = admin;
            return this;
        }

        public Builder instanceId(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        public Builder state(StateConfig state) {
            this.state = state;
            return this;
        }

        public Builder approval(ApprovalConfig approval) {
            this.approval = approval;
            return this;
        }

        public Builder recording(RecordingConfig recording) {
            this.recording = recording;
            return this;
        }

        public Builder approvalChannels(ApprovalChannelsConfig approvalChannels) {
            this.approvalChannels = approvalChannels;
            return this;
        }

        public Builder audit(AuditConfig audit) {
            this.audit = audit;
            return this;
        }

        public Builder review(ReviewConfig review) {
            this.review = review;
            return this;
        }

        /** Adds (or replaces) the target named {@code target.name()}. */
        public Builder target(TargetConfig target) {
            targets.put(target.name(), target);
            return this;
        }

        public GatewayConfig build() {
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
    }
}
