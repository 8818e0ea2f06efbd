package dev.agentgate.policy;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * What the calls to OPA did, for the metrics: how many got an answer and how long those took, and how many got no
 * valid decision, by {@link PolicyFailure kind}. Recorded on whichever thread completes a call, read at scrape time;
 * {@link LongAdder}s keep both contention-free. Thread-safe.
 */
public final class OpaCalls {
    private final LongAdder answered = new LongAdder();
    private final LongAdder answeredNanos = new LongAdder();
    private final Map<PolicyFailure, LongAdder> failures = new EnumMap<>(PolicyFailure.class);
    private volatile LongConsumer answerTimes = nanos -> {};

    public OpaCalls() {
        for (PolicyFailure failure : PolicyFailure.values()) {
            failures.put(failure, new LongAdder());
        }
    }

    /** OPA answered (a decision or not) after {@code nanos} of round trip. */
    void answered(long nanos) {
        answered.increment();
        answeredNanos.add(nanos);
        answerTimes.accept(nanos);
    }

    /** Told the round trip time of every answer from now on (the metrics' timer); must not block. */
    public void timeAnswersWith(LongConsumer observer) {
        this.answerTimes = observer;
    }

    /** A call ended without a valid decision. */
    void failed(PolicyFailure failure) {
        failures.get(failure).increment();
    }

    public long answeredCount() {
        return answered.sum();
    }

    public long answeredNanos() {
        return answeredNanos.sum();
    }

    public long failures(PolicyFailure failure) {
        return failures.get(failure).sum();
    }
}
