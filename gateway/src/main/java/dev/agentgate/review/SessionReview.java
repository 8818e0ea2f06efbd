package dev.agentgate.review;

import dev.agentgate.admin.AdminRoute;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.identity.BrowserSessions;
import dev.agentgate.identity.OidcCodeFlow;
import dev.agentgate.identity.TokenValidator;
import dev.agentgate.recording.RecordingReader;
import dev.agentgate.recording.SessionIndex;
import dev.agentgate.recording.VerifyKey;
import dev.agentgate.state.StateDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The admin listener's session review, built from the config: the sessions API and the sessions page, sharing who is
 * signed in, with every playback recorded in the state database and the SIEM export.
 */
public final class SessionReview {

    /**
     * Reads of the recording store: two at a time, 64 waiting, then 503 (the listener's event loop never reads). Its
     * threads are daemons that end when idle, so nothing needs closing.
     */
    private static final Executor READS = readers();

    private SessionReview() {}

    /**
     * @param index the gateway's session index (the state database's)
     * @param tokens the gateway's trusted issuers, for auditors' tokens on the API
     * @param signIn the company issuer's sign-in for the page, empty for the admin key only
     * @param exports more places playbacks are recorded (the SIEM export)
     */
    public static List<AdminRoute> routes(
            GatewayConfig config,
            SessionIndex index,
            StateDatabase state,
            TokenValidator tokens,
            Optional<OidcCodeFlow> signIn,
            List<PlaybackLog> exports) {
        Auditors auditors = new Auditors(config.review());
        BrowserSessions<Reviewer> pageSessions = new BrowserSessions<>();
        ReviewAccess access = new ReviewAccess(auditors, tokens, pageSessions);
        RecordedSessions sessions = new RecordedSessions(
                index,
                RecordingReader.of(config.recording()),
                () -> VerifyKey.ofSigningKey(config.recording().signingKey()));
        StatePlaybackLog history = new StatePlaybackLog(state);
        List<PlaybackLog> logs = new ArrayList<>();
        logs.add(history);
        logs.addAll(exports);
        boolean secure =
                config.approvalChannels().sso().map(sso -> sso.secure()).orElse(false);
        return List.of(
                new SessionsApiRoute(access, sessions, PlaybackLog.all(logs), Optional.of(history), READS),
                new SessionsPageRoute(access, auditors, signIn, pageSessions, secure));
    }

    private static Executor readers() {
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), runnable -> {
                    Thread thread = new Thread(runnable, "agentgate-recording-review");
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
