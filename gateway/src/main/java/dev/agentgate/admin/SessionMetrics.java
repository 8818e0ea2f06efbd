package dev.agentgate.admin;

import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Counts what sessions do, from the session event seam: sessions started and ended (by reason), statements by the
 * policy's action, commands by outcome, response bytes and rows relayed, approvals by outcome. Called on the
 * sessions' event loops: every counter is made once and then only incremented.
 */
public final class SessionMetrics implements SessionEvents {

    private static final List<String> ACTIONS = List.of("allow", "mask", "deny", "require_approval");
    private static final List<String> OUTCOMES = List.of("ok", "error", "refused");

    private final MeterRegistry registry;
    private final Counter started;
    private final Map<SessionEvent.EndReason, Counter> ended = new EnumMap<>(SessionEvent.EndReason.class);
    private final Map<String, Counter> statements = new ConcurrentHashMap<>();
    private final Map<String, Counter> commands = new ConcurrentHashMap<>();
    private final Map<String, Counter> approvals = new ConcurrentHashMap<>();
    private final Counter bytes;
    private final Counter rows;

    SessionMetrics(MeterRegistry registry) {
        this.registry = registry;
        started = Counter.builder("agentgate.sessions.started")
                .description("Sessions that passed login.")
                .register(registry);
        for (SessionEvent.EndReason reason : SessionEvent.EndReason.values()) {
            ended.put(
                    reason,
                    Counter.builder("agentgate.sessions.ended")
                            .description("Sessions that ended, by what ended them.")
                            .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                            .register(registry));
        }
        ACTIONS.forEach(action -> statement(action));
        OUTCOMES.forEach(outcome -> command(outcome));
        bytes = Counter.builder("agentgate.response.bytes")
                .description("Response bytes relayed to clients, after masking.")
                .baseUnit("bytes")
                .register(registry);
        rows = Counter.builder("agentgate.response.rows")
                .description("Result rows relayed to clients.")
                .register(registry);
    }

    @Override
    public void on(SessionEvent event) {
        if (event instanceof SessionEvent.CommandCompleted completed) {
            command(completed.outcome()).increment();
            bytes.increment(completed.bytes());
            rows.increment(completed.rows());
        } else if (event instanceof SessionEvent.CommandDecided decided) {
            statement(decided.action()).increment();
        } else if (event instanceof SessionEvent.Started) {
            started.increment();
        } else if (event instanceof SessionEvent.Ended end) {
            ended.get(end.reason()).increment();
        } else if (event instanceof SessionEvent.ApprovalResolved approval) {
            approval(approval.outcome()).increment();
        }
    }

    private Counter statement(String action) {
        return counter(
                statements,
                action,
                a -> Counter.builder("agentgate.statements")
                        .description("Commands decided by the policy, by the action for the command as a whole.")
                        .tag("action", a));
    }

    private Counter command(String outcome) {
        return counter(
                commands,
                outcome,
                o -> Counter.builder("agentgate.commands")
                        .description("Commands done: ok, the server's error, or refused by the gateway.")
                        .tag("outcome", o));
    }

    private Counter approval(String outcome) {
        return counter(
                approvals,
                outcome,
                o -> Counter.builder("agentgate.approvals.resolved")
                        .description("Statements that waited for approval, by how it ended.")
                        .tag("outcome", o));
    }

    private Counter counter(Map<String, Counter> counters, String tag, Function<String, Counter.Builder> builder) {
        Counter counter = counters.get(tag);
        return counter != null
                ? counter
                : counters.computeIfAbsent(tag, t -> builder.apply(t).register(registry));
    }
}
