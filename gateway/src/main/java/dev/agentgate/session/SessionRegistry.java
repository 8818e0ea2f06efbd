package dev.agentgate.session;

import dev.agentgate.protocol.MySQLErrorCode;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * All live sessions of this gateway process: hands out connection ids, enforces the connection
 * limit, and answers who may {@code KILL} whom. Thread-safe.
 */
public final class SessionRegistry {

    /** The outcome of a KILL request, checked against the caller's identity. */
    public sealed interface KillDecision {
        /** The victim exists, belongs to the caller and may be killed through the caller's backend. */
        record Permitted(SessionInfo victim) implements KillDecision {}

        /** The request is refused; {@code errorCode} is the MySQL error to answer with. */
        record Refused(int errorCode, String message) implements KillDecision {}

        /** The gateway {@code gatewayInstance} of the fleet, which holds the victim, carried the KILL out. */
        record KilledElsewhere(String gatewayInstance) implements KillDecision {}
    }

    /**
     * The first gateway connection id: 2^30, so that gateway ids and backend thread ids (which count up from 1 with
     * each backend connection) do not meet in practice, and one id names one session.
     */
    public static final int FIRST_CONNECTION_ID = 1 << 30;

    private static final int ER_NO_SUCH_THREAD = MySQLErrorCode.ER_NO_SUCH_THREAD.code();
    private static final int ER_KILL_DENIED = MySQLErrorCode.ER_KILL_DENIED_ERROR.code();

    /** Tries for an id no live session of this process has, before the id given out anyway is the last one tried. */
    private static final int FREE_ID_ATTEMPTS = 64;

    private final int maxConnections;
    private final ConnectionIds ids;
    /** Null while KILL names this process's sessions only (a single gateway). */
    private volatile KillsElsewhere elsewhere;

    private volatile Listener listener = Listener.NONE;

    private final AtomicInteger reserved = new AtomicInteger();
    private final ConcurrentMap<Integer, Entry> sessions = new ConcurrentHashMap<>();

    private record Entry(SessionInfo info, SessionControl control) {}

    public SessionRegistry(int maxConnections) {
        this(maxConnections, ConnectionIds.counting());
    }

    /** @param ids where connection ids come from (a fleet's blocks, so that they are unique across it) */
    public SessionRegistry(int maxConnections, ConnectionIds ids) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
        }
        this.maxConnections = maxConnections;
        this.ids = ids;
    }

    /** A fleet's gateways: KILL of an id no session here has is passed to the gateway that holds it. */
    public void killElsewhereWith(KillsElsewhere fleet) {
        this.elsewhere = fleet;
    }

    /** How a KILL of a session another gateway holds is carried out; empty for a single gateway. */
    public Optional<KillsElsewhere> killsElsewhere() {
        return Optional.ofNullable(elsewhere);
    }

    /** The refusal of a KILL of {@code id} when no session has it. */
    public static KillDecision.Refused unknownThread(long id) {
        return new KillDecision.Refused(ER_NO_SUCH_THREAD, "Unknown thread id: " + id);
    }

    /**
     * Reserves a place for a new client connection. Empty when the gateway is full; otherwise the
     * connection id to greet the client with. Every reservation must be {@link #release released}.
     *
     * @throws NoConnectionIdException when no id can be given out now (nothing is reserved then)
     */
    public Optional<Integer> reserve() {
        while (true) {
            int current = reserved.get();
            if (current >= maxConnections) {
                return Optional.empty();
            }
            if (reserved.compareAndSet(current, current + 1)) {
                try {
                    return Optional.of(freeId());
                } catch (NoConnectionIdException none) {
                    reserved.decrementAndGet();
                    throw none;
                }
            }
        }
    }

    /** An id that names no live session (after the ids wrapped, one may still be in use). */
    private int freeId() {
        int id = ids.next();
        for (int attempt = 1; attempt < FREE_ID_ATTEMPTS && sessions.containsKey(id); attempt++) {
            id = ids.next();
        }
        return id;
    }

    /** Registers an authenticated session under its reserved connection id. */
    public void register(SessionInfo info, SessionControl control) {
        Entry previous = sessions.put(info.connectionId(), new Entry(info, control));
        if (previous == null || !previous.info().equals(info)) {
            listener.registered(info);
        }
    }

    /**
     * What a listener is told of the sessions, on the thread that registers or releases them (an event loop: it must
     * not block).
     */
    public interface Listener {
        Listener NONE = new Listener() {
            @Override
            public void registered(SessionInfo info) {}

            @Override
            public void released(SessionInfo info) {}
        };

        /** A session was registered, or registered again with something changed (its identity after COM_CHANGE_USER). */
        void registered(SessionInfo info);

        /** A registered session ended. */
        void released(SessionInfo info);
    }

    /** Tells {@code listener} of every session registered and released from now on (there is one listener). */
    public void listenWith(Listener listener) {
        this.listener = listener;
    }

    /** Forgets the session and frees its reservation. Safe to call once per reservation. */
    public void release(int connectionId) {
        Entry ended = sessions.remove(connectionId);
        reserved.decrementAndGet();
        if (ended != null) {
            listener.released(ended.info());
        }
    }

    public int reservedCount() {
        return reserved.get();
    }

    public List<SessionInfo> sessions() {
        return sessions.values().stream().map(Entry::info).toList();
    }

    /** The live session with this connection id. */
    public Optional<SessionInfo> info(long connectionId) {
        Entry entry = connectionId > Integer.MAX_VALUE || connectionId < 1 ? null : sessions.get((int) connectionId);
        return Optional.ofNullable(entry).map(Entry::info);
    }

    /** The control of the live session with this connection id, e.g. to {@link SessionControl#limitTo limit} it. */
    public Optional<SessionControl> control(int connectionId) {
        return Optional.ofNullable(sessions.get(connectionId)).map(Entry::control);
    }

    /** The control of the live session with this session id ({@code SessionFacts.sessionId()}). */
    public Optional<SessionControl> control(String sessionId) {
        return sessions.values().stream()
                .filter(entry -> entry.info().sessionId().equals(sessionId))
                .map(Entry::control)
                .findFirst();
    }

    public Collection<SessionControl> controls() {
        return sessions.values().stream().map(Entry::control).toList();
    }

    /**
     * Decides a KILL of {@code id} asked by {@code caller}. A client sees two ids for a session: the connection id
     * of the gateway's greeting (what drivers report and send to cancel) and the backend thread id
     * ({@code CONNECTION_ID()}, {@code SHOW PROCESSLIST}); either names the same session here, never a backend thread
     * the gateway does not own. Gateway ids are handed out from {@link #FIRST_CONNECTION_ID} up, far above the
     * thread ids a server reaches, and an id that names two sessions is refused rather than guessed. Only the
     * caller's own sessions (same issuer and subject) on the same target can be killed: the kill runs on the
     * caller's backend connection, which only reaches the caller's target.
     */
    public KillDecision authorizeKill(SessionInfo caller, long id) {
        Entry byGatewayId = id > Integer.MAX_VALUE || id < 1 ? null : sessions.get((int) id);
        Entry byThreadId = sessions.values().stream()
                .filter(entry -> entry.info().backendThreadId() == id
                        && entry.info().target().equals(caller.target()))
                .findFirst()
                .orElse(null);
        if (byGatewayId != null && byThreadId != null && byGatewayId != byThreadId) {
            return new KillDecision.Refused(
                    ER_NO_SUCH_THREAD,
                    "Thread id " + id
                            + " names two sessions (a gateway connection id and a backend thread id): not killed");
        }
        Entry entry = byGatewayId != null ? byGatewayId : byThreadId;
        if (entry == null) {
            return unknownThread(id);
        }
        SessionInfo victim = entry.info();
        KillDecision.Refused denied = refusalOfKill(
                id,
                caller.issuer(),
                caller.subject(),
                caller.target(),
                victim.issuer(),
                victim.subject(),
                victim.target());
        return denied != null ? denied : new KillDecision.Permitted(victim);
    }

    /**
     * Why the caller may not kill the session {@code id} names, null when it may: only its own sessions (same issuer
     * and subject) on its own target. The one rule for a local KILL and for one passed through the fleet, on the
     * gateway it was sent to and again on the gateway that holds the session.
     */
    static KillDecision.Refused refusalOfKill(
            long id,
            String callerIssuer,
            String callerSubject,
            String callerTarget,
            String victimIssuer,
            String victimSubject,
            String victimTarget) {
        if (!victimIssuer.equals(callerIssuer) || !victimSubject.equals(callerSubject)) {
            return new KillDecision.Refused(ER_KILL_DENIED, "You are not owner of thread " + id);
        }
        if (!victimTarget.equals(callerTarget)) {
            return new KillDecision.Refused(
                    ER_KILL_DENIED,
                    "Thread " + id + " is connected to target '" + victimTarget + "', not '" + callerTarget
                            + "': kill it from a session on that target");
        }
        return null;
    }
}
