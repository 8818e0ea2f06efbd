package dev.agentgate.review;

import dev.agentgate.admin.AdminRequest;
import dev.agentgate.admin.AdminResponse;
import dev.agentgate.admin.AdminRoute;
import dev.agentgate.recording.RecordedSession;
import dev.agentgate.recording.SessionSummary;
import dev.agentgate.recording.VerifyReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorded sessions for auditors: {@code GET /recordings} (filtered, one bounded page), {@code GET
 * /recordings/<id>} (the transcript as the client saw it), {@code .../verify} (the recording's integrity) and
 * {@code .../playbacks} (who watched it). A transcript is shown only after its playback was recorded.
 */
public final class SessionsApiRoute implements AdminRoute {
    public static final String PATH = "/recordings";

    private static final Logger log = LoggerFactory.getLogger(SessionsApiRoute.class);

    private final ReviewAccess access;
    private final RecordedSessions sessions;
    private final PlaybackLog playbacks;
    private final Optional<StatePlaybackLog> playbackHistory;
    private final StoreReads reads;
    private final TranscriptDocument transcripts = new TranscriptDocument(ReviewJson.MAPPER);

    /**
     * @param playbackHistory where {@code .../playbacks} reads from, empty when no state database keeps them
     * @param reads runs the recording store's blocking reads (never the listener's event loop)
     */
    public SessionsApiRoute(
            ReviewAccess access,
            RecordedSessions sessions,
            PlaybackLog playbacks,
            Optional<StatePlaybackLog> playbackHistory,
            Executor reads) {
        this.access = access;
        this.sessions = sessions;
        this.playbacks = playbacks;
        this.playbackHistory = playbackHistory;
        this.reads = new StoreReads(reads);
    }

    @Override
    public boolean serves(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    @Override
    public CompletableFuture<AdminResponse> handle(AdminRequest request) {
        if (!"GET".equals(request.method())) {
            return done(ReviewJson.notAllowed("GET"));
        }
        return access.check(request)
                .thenCompose(outcome -> outcome instanceof ReviewAccess.Granted granted
                        ? route(request, granted.reviewer())
                        : done(refusal((ReviewAccess.Refused) outcome)));
    }

    private CompletableFuture<AdminResponse> route(AdminRequest request, Reviewer reviewer) {
        List<String> parts = List.of(request.path().substring(1).split("/"));
        if (parts.size() == 1) {
            return list(request.queryParameters());
        }
        String id = parts.get(1);
        if (parts.size() == 2) {
            return transcript(id, new Playback(id, reviewer, request.clientAddress(), Instant.now()));
        }
        if (parts.size() == 3 && parts.get(2).equals("verify")) {
            return off(() -> sessions.read(id)
                    .map(sessions::verify)
                    .map(SessionsApiRoute::report)
                    .orElseGet(() -> noRecording(id)));
        }
        if (parts.size() == 3 && parts.get(2).equals("playbacks")) {
            return playbackHistory
                    .map(history -> history.of(id).thenApply(list -> ReviewJson.ok(Map.of("playbacks", list))))
                    .orElseGet(() -> done(ReviewJson.error(404, "playbacks are kept in the state database only")));
        }
        return done(ReviewJson.error(
                404, "no such path; try " + PATH + ", " + PATH + "/<id>, " + PATH + "/<id>/verify or /playbacks"));
    }

    private CompletableFuture<AdminResponse> list(Map<String, String> query) {
        SessionFilter filter;
        try {
            filter = SessionFilter.of(query);
        } catch (IllegalArgumentException refused) {
            return done(ReviewJson.error(400, refused.getMessage()));
        }
        return off(() -> {
            List<SessionSummary> found = sessions.list(filter);
            Instant nextUntil =
                    found.size() == filter.limit() ? found.get(found.size() - 1).startedAt() : null;
            return ReviewJson.ok(Map.of(
                    "count",
                    found.size(),
                    "limit",
                    filter.limit(),
                    "sessions",
                    found,
                    "next_until",
                    nextUntil == null ? "" : nextUntil.toString()));
        });
    }

    private CompletableFuture<AdminResponse> transcript(String id, Playback playback) {
        return reads.<Optional<RecordedSession>>run(() -> sessions.read(id))
                .thenCompose(found -> {
                    if (found.isEmpty()) {
                        return done(noRecording(id));
                    }
                    return playbacks
                            .watched(playback)
                            .thenApplyAsync(recorded -> ReviewJson.ok(transcriptOf(found.get())), reads.executor())
                            .exceptionally(notRecorded -> {
                                log.warn(
                                        "playback of {} by {} could not be recorded: {}",
                                        id,
                                        playback.reviewer().name(),
                                        notRecorded.toString());
                                return ReviewJson.error(503, "this playback could not be recorded, so it is not shown");
                            });
                })
                .exceptionally(StoreReads::failure);
    }

    private Object transcriptOf(RecordedSession session) {
        return transcripts.of(session, sessions.summary(session.sessionId()));
    }

    private static AdminResponse report(VerifyReport report) {
        return ReviewJson.ok(Map.of(
                "session_id", report.sessionId(),
                "intact", report.intact(),
                "segments", report.segments(),
                "records", report.records(),
                "problems", report.problems().stream().map(String::valueOf).toList(),
                "notes", report.notes().stream().map(String::valueOf).toList()));
    }

    static AdminResponse refusal(ReviewAccess.Refused refused) {
        return ReviewJson.error(refused.status(), refused.message());
    }

    private static AdminResponse noRecording(String id) {
        return ReviewJson.error(404, "no recording of session " + id);
    }

    /** What the store reads, answered; a failed read is answered by {@link StoreReads#failure}. */
    private CompletableFuture<AdminResponse> off(StoreReads.Read<AdminResponse> read) {
        return reads.run(read).exceptionally(StoreReads::failure);
    }

    private static CompletableFuture<AdminResponse> done(AdminResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
