package dev.agentgate.recording;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgate.session.ResponseBudget;
import dev.agentgate.session.SessionEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the events taken from the recorder's queue into records, on the writer thread only: a statement becomes one
 * record when its command completes; {@link #commitAll()} makes a batch durable at once (group commit).
 */
final class RecordingWriter {

    private static final Logger log = LoggerFactory.getLogger(RecordingWriter.class);

    private final RecordingLayout layout;
    private final SigningKey key;
    private final long segmentMaxBytes;
    private final long segmentMaxAgeNanos;
    private final Consumer<Path> closedSegments;
    private final SessionIndex index;
    private final Executor indexUpdates;
    private final Map<String, LiveSession> sessions = new HashMap<>();
    private String failure;
    private boolean failedInBatch;
    /** Sessions whose records were lost since their last wait for durability was taken, and why. */
    private final Map<String, String> failedSessions = new HashMap<>();
    /** Sessions ended since the waits were last told: no wait follows, so their failures are forgotten then. */
    private final List<String> endedSinceTold = new ArrayList<>();

    /** A session being recorded: its chain and segment, the statements in flight, what the index shows. */
    private static final class LiveSession {
        final SessionRecording recording;
        final Map<Long, PendingStatement> pending = new HashMap<>();
        SessionSummary summary;
        long unwritten;

        LiveSession(SessionRecording recording, SessionSummary summary) {
            this.recording = recording;
            this.summary = summary;
        }
    }

    RecordingWriter(
            RecordingLayout layout,
            SigningKey key,
            long segmentMaxBytes,
            long segmentMaxAgeNanos,
            Consumer<Path> closedSegments,
            SessionIndex index,
            Executor indexUpdates) {
        this.layout = layout;
        this.key = key;
        this.segmentMaxBytes = segmentMaxBytes;
        this.segmentMaxAgeNanos = segmentMaxAgeNanos;
        this.closedSegments = closedSegments;
        this.index = index;
        this.indexUpdates = indexUpdates;
    }

    /** Takes one event; {@code lost} events of its session were dropped before it. */
    void handle(SessionEvent event, ResponseBudget.Cut cut, long lost) {
        LiveSession session = sessions.get(event.sessionId());
        if (session == null) {
            session = begin(event);
        }
        if (lost > 0) {
            session.unwritten += lost;
        }
        if (session.unwritten > 0) {
            markIncomplete(session);
            recordGap(session, event);
        }
        if (event instanceof SessionEvent.Started) {
            return;
        } else if (event instanceof SessionEvent.CommandReceived received) {
            session.pending.put(received.commandNo(), new PendingStatement(received));
        } else if (event instanceof SessionEvent.CommandDecided decided) {
            pendingOf(session, decided.commandNo(), decided).decided(decided);
        } else if (event instanceof SessionEvent.ApprovalResolved resolved) {
            pendingOf(session, resolved.commandNo(), resolved).approval(resolved);
        } else if (event instanceof SessionEvent.ResponsePacket packet) {
            pendingOf(session, packet.commandNo(), packet).response(packet.payload());
        } else if (event instanceof SessionEvent.CommandCompleted completed) {
            PendingStatement statement = session.pending.remove(completed.commandNo());
            if (statement == null) {
                statement = new PendingStatement(unseen(completed));
            }
            session.summary = session.summary.counted("refused".equals(completed.outcome()));
            append(session, statement.completed(completed, cut));
        } else if (event instanceof SessionEvent.IdentityChanged changed) {
            append(session, EventRecords.identityChanged(changed));
        } else if (event instanceof SessionEvent.Ended ended) {
            end(session, ended);
        }
    }

    private LiveSession begin(SessionEvent event) {
        String id = event.sessionId();
        SessionSummary summary;
        if (event instanceof SessionEvent.Started started) {
            summary = new SessionSummary(
                    id,
                    started.identity().issuer(),
                    started.identity().subject(),
                    started.facts().target(),
                    started.gatewayInstance(),
                    started.at(),
                    null,
                    null,
                    0,
                    0,
                    SessionSummary.ACTIVE);
        } else {
            summary = new SessionSummary(
                    id, null, null, null, null, event.at(), null, null, 0, 0, SessionSummary.INCOMPLETE);
        }
        LiveSession session = new LiveSession(
                SessionRecording.fresh(id, layout, key, segmentMaxBytes, segmentMaxAgeNanos, closedSegments), summary);
        sessions.put(id, session);
        if (event instanceof SessionEvent.Started started) {
            append(session, EventRecords.started(started));
        } else {
            session.unwritten++;
        }
        saveIndex(session);
        return session;
    }

    private void end(LiveSession session, SessionEvent.Ended ended) {
        for (PendingStatement unfinished : session.pending.values()) {
            append(session, unfinished.unfinished("the session ended before the command completed"));
        }
        session.pending.clear();
        append(session, EventRecords.ended(ended));
        try {
            session.recording.closeSegment(true);
        } catch (IOException e) {
            failed(session, e);
        }
        session.summary =
                session.summary.ended(ended.at(), ended.reason().name().toLowerCase(java.util.Locale.ROOT));
        saveIndex(session);
        sessions.remove(ended.sessionId());
        endedSinceTold.add(ended.sessionId());
    }

    private PendingStatement pendingOf(LiveSession session, long commandNo, SessionEvent event) {
        return session.pending.computeIfAbsent(commandNo, no -> new PendingStatement(unseen(event, no)));
    }

    /** A command whose CommandReceived was lost: recorded with what is known. */
    private static SessionEvent.CommandReceived unseen(SessionEvent event, long commandNo) {
        return new SessionEvent.CommandReceived(event.sessionId(), event.at(), commandNo, "unknown", null, null);
    }

    private static SessionEvent.CommandReceived unseen(SessionEvent.CommandCompleted completed) {
        return unseen(completed, completed.commandNo());
    }

    /** Records the events lost so far; while the store still fails they stay counted for the next try. */
    private void recordGap(LiveSession session, SessionEvent event) {
        long gap = session.unwritten;
        try {
            session.recording.append(
                    EventRecords.gap(event.sessionId(), event.at(), gap, "the recorder lost these events"));
            session.unwritten -= gap;
        } catch (IOException e) {
            failed(session, e);
        }
    }

    private void append(LiveSession session, ObjectNode record) {
        try {
            session.recording.append(record);
        } catch (IOException e) {
            failed(session, e);
            session.unwritten++;
        }
    }

    /**
     * Makes every record written since the last call durable. A store failure is remembered until a later batch is
     * written whole.
     *
     * @return whether the store is failing
     */
    boolean commitAll() {
        boolean wrote = false;
        for (LiveSession session : sessions.values()) {
            if (session.recording.dirty()) {
                try {
                    session.recording.commit();
                    wrote = true;
                } catch (IOException e) {
                    failed(session, e);
                }
            }
        }
        if (failedInBatch) {
            failedInBatch = false;
        } else if (wrote) {
            failure = null;
        }
        return failure != null;
    }

    /**
     * Why records of {@code sessionId} were lost since this was last asked for it, null when none were; asked when
     * the session's wait for durability is taken, so the next wait starts afresh.
     */
    String takeFailure(String sessionId) {
        return failedSessions.remove(sessionId);
    }

    /**
     * Why records of {@code sessionId} not durable yet were lost since {@link #takeFailure}, null when none were: a
     * failure abandons everything since the last commit, also what came before a wait in the same batch.
     */
    String failureSince(String sessionId) {
        return failedSessions.get(sessionId);
    }

    /**
     * The waits of the batch were told: the failures of sessions that ended are forgotten (a failure in the batch
     * that ended a session still told the waits before its end).
     */
    void waitsTold() {
        for (String id : endedSinceTold) {
            failedSessions.remove(id);
        }
        endedSinceTold.clear();
    }

    /** A client got an answer before its statement's record was durable: the recording shows it is incomplete. */
    void markLate(String sessionId) {
        LiveSession session = sessions.get(sessionId);
        if (session != null) {
            markIncomplete(session);
        }
    }

    /** Why the store fails, null while it does not. */
    String failure() {
        return failure;
    }

    private void failed(LiveSession session, IOException e) {
        long lost = session.recording.abandon();
        session.unwritten += lost;
        failedInBatch = true;
        failure = "cannot write session recordings to " + layout.dir() + ": " + e;
        failedSessions.putIfAbsent(session.recording.sessionId(), failure);
        if (!SessionSummary.FAILED.equals(session.summary.status())) {
            log.error("recording of session {} failed; {} record(s) lost", session.recording.sessionId(), lost, e);
            session.summary = session.summary.withStatus(SessionSummary.FAILED);
            saveIndex(session);
        }
    }

    private void markIncomplete(LiveSession session) {
        if (SessionSummary.ACTIVE.equals(session.summary.status())) {
            session.summary = session.summary.withStatus(SessionSummary.INCOMPLETE);
            saveIndex(session);
        }
    }

    private void saveIndex(LiveSession session) {
        SessionSummary summary = session.summary;
        indexUpdates.execute(() -> {
            try {
                index.save(summary);
            } catch (RuntimeException e) {
                log.warn("session index: cannot save session {}: {}", summary.sessionId(), e.toString());
            }
        });
    }

    /** Closes every open segment with its head (the gateway stops with sessions still open). */
    void closeAll() {
        for (LiveSession session : sessions.values()) {
            try {
                session.recording.closeSegment(false);
            } catch (IOException e) {
                failed(session, e);
            }
            session.summary = session.summary.withStatus(SessionSummary.INTERRUPTED);
            saveIndex(session);
        }
        sessions.clear();
    }
}
