package dev.agentgate.admin;

import dev.agentgate.approval.Approvals;
import dev.agentgate.enforcement.DecisionTimes;
import dev.agentgate.enforcement.PolicyEnforcement;
import dev.agentgate.policy.DecisionCache;
import dev.agentgate.policy.OpaCalls;
import dev.agentgate.recording.Recorder;
import dev.agentgate.session.SessionRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The live state of one running gateway that the admin endpoint reports: its sessions, counters
 * and policy machinery, plus whether it still accepts clients. Everything here is read from
 * in-memory structures, so reading it never blocks.
 */
public final class GatewayStatus {
    private final SessionRegistry registry;
    private final GatewayCounters counters;
    /** Replaced when a reload changes the policy settings; the meters read it at every scrape. */
    private volatile PolicyEnforcement policy;

    private volatile boolean accepting = true;
    private final Approvals approvals;
    private final Recorder recorder;
    private final GatewayMeters meters;
    /** Where OPA's round trip times go: the meters' timer once they registered it. */
    private LongConsumer opaAnswerTimes = nanos -> {};

    /**
     * @param policy the gateway's policy side; null when policy is disabled (dev mode)
     */
    public GatewayStatus(SessionRegistry registry, GatewayCounters counters, PolicyEnforcement policy) {
        this(registry, counters, policy, null, null);
    }

    /**
     * @param approvals the gateway's approvals; null when policy is disabled
     * @param recorder the session recorder; null when sessions are not recorded
     */
    public GatewayStatus(
            SessionRegistry registry,
            GatewayCounters counters,
            PolicyEnforcement policy,
            Approvals approvals,
            Recorder recorder) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.policy = policy;
        this.approvals = approvals;
        this.recorder = recorder;
        this.meters = new GatewayMeters(this);
        if (policy != null) {
            policy.opaCalls().timeAnswersWith(opaAnswerTimes);
        }
    }

    /** A configuration reload replaced the policy side: the meters read (and time) the new one from now on. */
    public void replacePolicy(PolicyEnforcement next) {
        next.opaCalls().timeAnswersWith(opaAnswerTimes);
        this.policy = next;
    }

    /** Called by the meters while they register: the timer OPA's answers are recorded in. */
    void timeOpaAnswersWith(LongConsumer timer) {
        this.opaAnswerTimes = timer;
    }

    /** Empty when policy is disabled. */
    public Optional<OpaCalls> opaCalls() {
        return policy == null ? Optional.empty() : Optional.of(policy.opaCalls());
    }

    /** Empty when policy is disabled. */
    public Optional<Approvals> approvals() {
        return Optional.ofNullable(approvals);
    }

    /** Empty when sessions are not recorded. */
    public Optional<Recorder> recorder() {
        return Optional.ofNullable(recorder);
    }

    /** The gateway's meters; its {@link GatewayMeters#sessions()} sink is installed on the session event seam. */
    public GatewayMeters meters() {
        return meters;
    }

    /** From now on health reports the shutdown, so load balancers stop sending clients. */
    public void shuttingDown() {
        accepting = false;
    }

    public boolean accepting() {
        return accepting;
    }

    public SessionRegistry registry() {
        return registry;
    }

    public GatewayCounters counters() {
        return counters;
    }

    /** Empty when policy is disabled or its cache is off. */
    public Optional<DecisionCache> decisionCache() {
        return policy == null ? Optional.empty() : Optional.ofNullable(policy.cache());
    }

    /** Empty when policy is disabled. */
    public Optional<DecisionTimes.Snapshot> decisionTimes() {
        return policy == null
                ? Optional.empty()
                : Optional.of(policy.gate().decisionTimes().snapshot());
    }

    /** Empty when policy is disabled. */
    public Optional<CircuitBreaker.State> opaCircuitState() {
        return policy == null ? Optional.empty() : Optional.of(policy.opaCircuitState());
    }
}
