package dev.agentgate.recording;

import dev.agentgate.session.ResponseBudget;

/**
 * What the {@link Recorder} keeps of one session between its start and its end, on the session's own thread (only
 * {@link #startWaits} is also written by the recorder's writer).
 */
final class SessionLane {

    /**
     * Cuts the response packets past {@code recording.max_result_bytes} that reach the recorder anyway: the session
     * cuts at the largest budget of its sinks, which may be another sink's.
     */
    final ResponseBudget budget;

    /** The session's events put on the recorder's queue so far: its end overflowed waits until all were written. */
    long queued;

    /**
     * The session's start did not fit the queue and waits in the overflow: until the writer took it, the session's
     * other events are counted lost (queued, they would be written before its start) and its end overflows too.
     */
    volatile boolean startWaits;

    SessionLane(int maxResultBytes) {
        budget = new ResponseBudget(maxResultBytes);
    }
}
