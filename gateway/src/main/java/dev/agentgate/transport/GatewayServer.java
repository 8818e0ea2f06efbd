package dev.agentgate.transport;

import dev.agentgate.admin.AdminRoute;
import dev.agentgate.admin.GatewayCounters;
import dev.agentgate.admin.GatewayStatus;
import dev.agentgate.approval.ApprovalChannels;
import dev.agentgate.approval.ApprovalDecisions;
import dev.agentgate.approval.ApprovalNotifier;
import dev.agentgate.approval.Approvals;
import dev.agentgate.config.ConfigChanges;
import dev.agentgate.config.GatewayConfig;
import dev.agentgate.config.ListenConfig;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.enforcement.PolicyEnforcement;
import dev.agentgate.identity.JwtTokenValidator;
import dev.agentgate.identity.LoginRateLimiter;
import dev.agentgate.identity.ValidatorOptions;
import dev.agentgate.protocol.CapabilityFlags;
import dev.agentgate.recording.RecordingService;
import dev.agentgate.review.PlaybackLog;
import dev.agentgate.review.SessionReview;
import dev.agentgate.review.SessionsPageRoute;
import dev.agentgate.session.ConnectionIds;
import dev.agentgate.session.FleetConnectionIds;
import dev.agentgate.session.FleetSessions;
import dev.agentgate.session.InstanceLease;
import dev.agentgate.session.SessionControl;
import dev.agentgate.session.SessionEvent;
import dev.agentgate.session.SessionEvents;
import dev.agentgate.session.SessionRegistry;
import dev.agentgate.state.ConnectionIdBlocks;
import dev.agentgate.state.InstanceLeaseStore;
import dev.agentgate.state.StateDatabase;
import dev.agentgate.transport.admin.AdminServer;
import dev.agentgate.transport.backend.BackendConnector;
import dev.agentgate.transport.backend.BackendGreeting;
import dev.agentgate.transport.backend.BackendProbe;
import dev.agentgate.transport.backend.StatementCanceller;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running gateway: a Netty server that speaks MySQL to clients and relays to targets. */
public final class GatewayServer {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    /** utf8mb4_general_ci: known to MySQL and MariaDB alike, so any target accepts what clients pick. */
    private static final int GREETING_CHARSET = 45;

    /** The running configuration; replaced by {@link #reload}, as are the policy, token and cancel parts below. */
    private GatewayConfig config;

    private final SessionRegistry registry;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private PolicyEnforcement policy;
    private JwtTokenValidator tokens;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AdminServer admin;
    private StatementCanceller canceller;
    private final Approvals approvals;
    private final ApprovalChannels approvalChannels;
    private final RecordingService recording;
    /** The session event sinks, closed (those that can be) once the sessions have ended: their last events kept. */
    private final List<SessionEvents> sinks;
    /** Liveness and readiness on the admin listener; set right after construction. */
    private GatewayHealth health;
    /** What connections accepted next are set up with, and the context they get; both replaced by a reload. */
    private ClientChannelInitializer initializer;

    private GatewayContext context;
    /** This gateway's part in the fleet's live sessions; null for a single gateway. */
    private FleetSessions fleet;
    /** This gateway's hold on its instance_id in the fleet's state database; null for a single gateway. */
    private InstanceLease instanceLease;

    private BackendKills backendKills;
    private GatewayStatus status;
    /** Parts a reload replaced: sessions opened before it may still use them, so they are closed at shutdown. */
    private final List<AutoCloseable> retired = new ArrayList<>();

    private GatewayServer(
            GatewayConfig config,
            SessionRegistry registry,
            EventLoopGroup acceptors,
            EventLoopGroup workers,
            Channel serverChannel,
            PolicyEnforcement policy,
            JwtTokenValidator tokens,
            AdminServer admin,
            StatementCanceller canceller,
            Approvals approvals,
            ApprovalChannels approvalChannels,
            RecordingService recording,
            List<SessionEvents> sinks) {
        this.approvals = approvals;
        this.approvalChannels = approvalChannels;
        this.recording = recording;
        this.sinks = List.copyOf(sinks);
        this.admin = admin;
        this.canceller = canceller;
        this.policy = policy;
        this.tokens = tokens;
        this.config = config;
        this.registry = registry;
        this.acceptors = acceptors;
        this.workers = workers;
        this.serverChannel = serverChannel;
    }

    /**
     * Binds the listener and returns once the gateway accepts connections; session events go to the session recording only, when it is on; approval
     * requests go to the configured channels ({@code approval.slack}, else the log) and are decided through the admin
     * listener's routes.
     */
    public static GatewayServer start(GatewayConfig config) throws Exception {
        return start(config, List.of(), null);
    }

    /** @param sessionEvents the sinks every session's events go to, in this order (recording, audit, ...) */
    public static GatewayServer start(GatewayConfig config, List<SessionEvents> sessionEvents) throws Exception {
        return start(config, sessionEvents, null);
    }

    /** @param notifier tells approvers of requests instead of the configured channels; null for those */
    public static GatewayServer start(GatewayConfig config, ApprovalNotifier notifier) throws Exception {
        return start(config, List.of(), notifier);
    }

    /**
     * Binds the listener and returns once the gateway accepts connections.
     *
     * @param sessionEvents the sinks every session's events go to, after the recording (audit, metrics, ...)
     * @param notifier tells approvers of requests instead of the configured channels; null for those
     */
    public static GatewayServer start(
            GatewayConfig config, List<SessionEvents> sessionEvents, ApprovalNotifier notifier) throws Exception {
        ApprovalChannels channels = ApprovalChannels.create(config, Clock.systemUTC());
        try {
            return start(config, sessionEvents, notifier == null ? channels.notifier() : notifier, channels);
        } catch (Exception e) {
            channels.close();
            throw e;
        }
    }

    private static GatewayServer start(
            GatewayConfig config,
            List<SessionEvents> sessionEvents,
            ApprovalNotifier notifier,
            ApprovalChannels channels)
            throws Exception {
        EventLoopGroup acceptors = new MultiThreadIoEventLoopGroup(1, NativeTransport.ioHandlerFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NativeTransport.ioHandlerFactory());
        PolicyEnforcement policy = null;
        JwtTokenValidator tokens = null;
        StateDatabase state = null;
        Approvals approvals = null;
        RecordingService recording = null;
        GatewayHealth health = null;
        FleetSessions fleet = null;
        InstanceLease instanceLease = null;
        GatewayCounters counters = new GatewayCounters(); // admin endpoint
        try {
            tokens = JwtTokenValidator.create(
                    config.identity(),
                    config.devMode(),
                    ValidatorOptions.defaults().withStaleKeysListener(counters::staleIssuerKeysServed));
            // Connected on first use: a policy that never asks for approval needs no state database.
            if (!config.policy().disabled() || config.recording().enabled()) {
                state = StateDatabase.connectingOnFirstUse(config.state());
            }
            // Recording starts before the listener: no session goes unrecorded; and before the policy, which refuses
            // statements while the recording cannot keep them.
            if (config.recording().enabled()) {
                recording = RecordingService.forGateway(config, state);
            }
            if (isFleet(config, state)) {
                // before anything is written under this instance id: a second replica with the same one stops here
                instanceLease = InstanceLease.take(
                        new InstanceLeaseStore(state),
                        config.instanceId(),
                        InstanceLease.thisHost(),
                        Clock.systemUTC());
            }
            FleetConnectionIds fleetIds = isFleet(config, state)
                    ? FleetConnectionIds.start(
                            new ConnectionIdBlocks(state, FleetConnectionIds.BLOCKS),
                            config.instanceId(),
                            Clock.systemUTC())
                    : null;
            SessionRegistry registry = new SessionRegistry(
                    config.listen().maxConnections(), fleetIds == null ? ConnectionIds.counting() : fleetIds);
            if (config.policy().disabled()) {
                log.warn("policy.disabled is set (dev mode): EVERY statement is allowed without asking OPA");
            } else {
                approvals = new Approvals(state, notifier, config.approval(), Clock.systemUTC());
                policy = policyFor(config, approvals, registry, recording);
                log.info(
                        "statements are decided by OPA at {} (rule {}, time limit {})",
                        config.policy().opaUrl(),
                        config.policy().decisionPath(),
                        config.policy().timeout());
            }
            BackendConnector connector = new BackendConnector(
                    NativeTransport.socketChannel(),
                    config.listen().maxPacketSize(),
                    config.targets().values());
            StatementCanceller canceller =
                    new StatementCanceller(connector, config.targets().values(), workers.next());
            BackendKills backendKills = new BackendKills(registry, canceller);
            if (fleetIds != null) {
                fleet = FleetSessions.start(
                        state, config.instanceId(), registry, fleetIds, backendKills, Clock.systemUTC());
            }
            SessionEvents events = SessionEvents.all(withRecording(recording, sessionEvents));
            // the status (and its meters) exists before the first session, so the meters see every session's events
            GatewayStatus status = new GatewayStatus(
                    registry, counters, policy, approvals, recording == null ? null : recording.recorder());
            if (policy != null) {
                policy.warmUp(); // once the meters time OPA's answers
            }
            GatewayContext context = new GatewayContext(
                    config,
                    tokens,
                    new LoginRateLimiter(config.auth().maxFailedLoginsPerMinute()),
                    registry,
                    connector,
                    ServerTls.serverContext(config.tls()),
                    policy == null ? null : policy.gate(),
                    greeting(config, workers),
                    new SecureRandom(),
                    counters,
                    canceller,
                    withSessionMetrics(config, events, status),
                    policy == null ? null : policy.sessionAdmission());
            ClientChannelInitializer initializer = new ClientChannelInitializer(context);
            Channel channel = new ServerBootstrap()
                    .group(acceptors, workers)
                    .channel(NativeTransport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.AUTO_READ, true)
                    .childHandler(initializer)
                    .bind(config.listen().host(), config.listen().port())
                    .sync()
                    .channel();
            log.info(
                    "agentgate listening on {} ({} target(s), server version '{}', {} transport)",
                    channel.localAddress(),
                    config.targets().size(),
                    context.greeting().serverVersion(),
                    NativeTransport.name());
            // --- admin endpoint: after the listener, so /health is only "ok" once clients are accepted
            health = new GatewayHealth(config, status, List.of(acceptors, workers), state, recording);
            List<AdminRoute> routes = new ArrayList<>(List.of(health.route()));
            if (approvals != null) {
                routes.addAll(channels.routes(approvals.decisions(), tokens));
            }
            if (recording != null && config.admin().enabled()) {
                routes.addAll(SessionReview.routes(
                        config,
                        recording.index(),
                        state,
                        tokens,
                        channels.signInFor(SessionsPageRoute.CALLBACK_PATH),
                        playbackExports(sessionEvents)));
            }
            AdminServer admin = AdminServer.startIfEnabled(config.admin(), status, routes);
            GatewayServer server = new GatewayServer(
                    config,
                    registry,
                    acceptors,
                    workers,
                    channel,
                    policy,
                    tokens,
                    admin,
                    canceller,
                    approvals,
                    channels,
                    recording,
                    sessionEvents);
            server.health = health;
            server.initializer = initializer;
            server.context = context;
            server.status = status;
            server.fleet = fleet;
            server.instanceLease = instanceLease;
            server.backendKills = backendKills;
            return server;
        } catch (Exception e) {
            if (health != null) {
                health.close();
            }
            if (fleet != null) {
                fleet.close();
            }
            if (instanceLease != null) {
                instanceLease.close();
            }
            if (tokens != null) {
                tokens.close();
            }
            if (approvals != null) {
                approvals.close();
            }
            if (recording != null) {
                recording.close();
            }
            if (state != null) {
                state.close();
            }
            if (policy != null) {
                policy.close();
            }
            acceptors.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * The policy side as both start and reload build it: approval resolutions told to the live session they decide,
     * statements refused while the recording (recorder and archive, as {@code on_failure} says) cannot keep them. Not
     * warmed up yet: that is done once the meters time its OPA client's answers.
     *
     * @param recording null when sessions are not recorded
     */
    private static PolicyEnforcement policyFor(
            GatewayConfig config, Approvals approvals, SessionRegistry registry, RecordingService recording) {
        PolicyEnforcement policy =
                new PolicyEnforcement(config.policy(), config.targets().values(), approvals, registry::control);
        if (recording != null) {
            policy.gate().refuseWhile(recording.health());
        }
        return policy;
    }

    /**
     * The sinks plus the meters' session sink, only where the metrics can be read (admin listener on): any sink turns
     * the session's event emitter on (a clock read, a command object and the bound parameters kept per command), so a
     * gateway nobody scrapes must not pay for it.
     */
    private static SessionEvents withSessionMetrics(GatewayConfig config, SessionEvents events, GatewayStatus status) {
        if (!config.admin().enabled()) {
            return events;
        }
        List<SessionEvents> sinks = new ArrayList<>();
        if (events != SessionEvents.NONE) {
            sinks.add(events);
        }
        sinks.add(status.meters().sessions());
        return SessionEvents.all(sinks);
    }

    /** The sinks that also record playbacks of recordings (the SIEM export). */
    private static List<PlaybackLog> playbackExports(List<SessionEvents> sinks) {
        return sinks.stream()
                .filter(PlaybackLog.class::isInstance)
                .map(PlaybackLog.class::cast)
                .toList();
    }

    private static List<SessionEvents> withRecording(RecordingService recording, List<SessionEvents> others) {
        if (recording == null) {
            return others;
        }
        List<SessionEvents> sinks = new ArrayList<>();
        sinks.add(recording.recorder());
        sinks.addAll(others);
        return sinks;
    }

    /**
     * Gateways that share a state database server (not an SQLite file of their own) may be a fleet: their connection
     * ids come from blocks claimed there, and KILL reaches sessions any of them holds.
     */
    private static boolean isFleet(GatewayConfig config, StateDatabase state) {
        return state != null && !config.state().isSqlite();
    }

    /**
     * Clients get the target's own version string (so drivers pick the right dialect) and, from a MariaDB target,
     * MARIADB_CLIENT_EXTENDED_METADATA, learned by reading one target's greeting at start (not when the version is
     * configured). All targets of one gateway should be of one kind: a client that asked for extended metadata cannot
     * log in to a target without it.
     */
    private static GatewayContext.Greeting greeting(GatewayConfig config, EventLoopGroup workers) {
        if (config.listen().serverVersion() != null) {
            return new GatewayContext.Greeting(config.listen().serverVersion(), GREETING_CHARSET);
        }
        TargetConfig first = config.targets().values().iterator().next();
        try {
            BackendGreeting greeting = new BackendProbe(NativeTransport.socketChannel())
                    .probe(first, workers.next())
                    .get(first.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            boolean extendedMetadata =
                    CapabilityFlags.has(greeting.capabilityFlags(), CapabilityFlags.MARIADB_CLIENT_EXTENDED_METADATA);
            return new GatewayContext.Greeting(
                    greeting.serverVersion() + "-agentgate", GREETING_CHARSET, extendedMetadata);
        } catch (Exception e) {
            log.warn(
                    "could not read the server version of target '{}' ({}); greeting clients as '{}'",
                    first.name(),
                    ClientHandshakeHandler.rootMessage(e),
                    ListenConfig.FALLBACK_SERVER_VERSION);
            return new GatewayContext.Greeting(ListenConfig.FALLBACK_SERVER_VERSION, GREETING_CHARSET);
        }
    }

    /**
     * Loads and applies a new configuration without dropping a session: connections accepted from now on log in with its
     * targets and issuers and have their statements decided with its policy settings; sessions already open go on with
     * what they began with. A change that needs a restart (listeners, TLS, state, recording, ...) is refused and the
     * running configuration kept.
     *
     * @throws dev.agentgate.config.ConfigException naming the key when {@code next} cannot be applied
     */
    public void reload(Supplier<GatewayConfig> source) {
        try {
            reload(source.get());
            context.counters().configReloaded(true);
        } catch (RuntimeException refused) {
            context.counters().configReloaded(false);
            log.error("configuration reload refused, the running configuration is kept: {}", refused.getMessage());
            throw refused;
        }
    }

    /** The configuration in effect: the one started with, or the last one a reload applied. */
    public synchronized GatewayConfig config() {
        return config;
    }

    /** As {@link #reload(Supplier)}, with the configuration already loaded. */
    public synchronized void reload(GatewayConfig next) {
        ConfigChanges changes = new ConfigChanges(config, next).requireReloadable();
        if (!changes.any()) {
            log.info("configuration reloaded: nothing changed");
            return;
        }
        JwtTokenValidator nextTokens = changes.identity()
                ? JwtTokenValidator.create(
                        next.identity(),
                        next.devMode(),
                        ValidatorOptions.defaults().withStaleKeysListener(context.counters()::staleIssuerKeysServed))
                : tokens;
        BackendConnector connector = changes.targets()
                ? new BackendConnector(
                        NativeTransport.socketChannel(),
                        next.listen().maxPacketSize(),
                        next.targets().values())
                : context.backendConnector();
        StatementCanceller nextCanceller = changes.targets()
                ? new StatementCanceller(connector, next.targets().values(), workers.next())
                : canceller;
        PolicyEnforcement nextPolicy = policy;
        if (policy != null && (changes.policy() || changes.targets())) {
            try {
                nextPolicy = policyFor(next, approvals, registry, recording);
            } catch (RuntimeException e) {
                if (nextTokens != tokens) {
                    nextTokens.close();
                }
                throw e;
            }
        }
        GatewayContext nextContext = new GatewayContext(
                next,
                nextTokens,
                context.loginRateLimiter(),
                registry,
                connector,
                context.serverSslContext(),
                nextPolicy == null ? null : nextPolicy.gate(),
                context.greeting(),
                context.random(),
                context.counters(),
                nextCanceller,
                context.events(),
                nextPolicy == null ? null : nextPolicy.sessionAdmission());
        initializer.replace(nextContext);
        if (nextTokens != tokens) {
            retired.add(tokens);
        }
        if (nextPolicy != policy) {
            retired.add(policy);
            status.replacePolicy(nextPolicy);
            nextPolicy.warmUp();
        }
        tokens = nextTokens;
        policy = nextPolicy;
        canceller = nextCanceller;
        backendKills.use(nextCanceller);
        context = nextContext;
        config = next;
        log.info(
                "configuration reloaded: {} changed ({} target(s): {})",
                changes.describe(),
                next.targets().size(),
                String.join(", ", next.targets().keySet()));
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The live sessions, e.g. to {@link SessionControl#limitTo limit} one. */
    public SessionRegistry registry() {
        return registry;
    }

    /** Port of the admin endpoint; -1 when it is disabled. */
    public int adminPort() {
        return admin.port();
    }

    /**
     * What approvers do with this gateway's approval requests (for the admin API, Slack, the approval page); null
     * when policy is disabled.
     */
    public ApprovalDecisions approvals() {
        return approvals == null ? null : approvals.decisions();
    }

    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /**
     * Stops accepting, lets running statements finish within {@code listen.shutdown_grace}, then
     * closes what is left.
     */
    public void shutdownGracefully() {
        if (terminated.getCount() == 0) {
            return;
        }
        admin.shuttingDown(); // admin endpoint: /health answers 503 from here on
        Duration grace = config.listen().shutdownGrace();
        log.info(
                "shutting down: no new connections; waiting up to {} for {} session(s)",
                grace,
                registry.reservedCount());
        // Bounded waits throughout: a stuck channel must not keep the process from exiting.
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        registry.controls()
                .forEach(session ->
                        session.closeWhenIdle("server shutdown in progress", SessionEvent.EndReason.GATEWAY_SHUTDOWN));
        long deadline = System.nanoTime() + grace.toNanos();
        while (registry.reservedCount() > 0 && System.nanoTime() < deadline) {
            sleepQuietly(50);
        }
        for (SessionControl session : registry.controls()) {
            session.closeNow("shutdown grace period over", SessionEvent.EndReason.GATEWAY_SHUTDOWN);
        }
        // A session closed now whose statement still ran has its backend thread killed over a control connection,
        // which runs on the event loops about to stop.
        long closing = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (registry.reservedCount() > 0 && System.nanoTime() < closing) {
            sleepQuietly(20);
        }
        try {
            if (!canceller.awaitAnswers(Duration.ofSeconds(3))) {
                log.warn(
                        "shutting down with statements still running on a backend: their KILL was not answered in time");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (policy != null) {
            policy.close();
        }
        closeRetired();
        if (recording != null) {
            recording.close(); // after the sessions ended, so their ends are recorded
        }
        if (fleet != null) {
            fleet.close(); // after the sessions ended: the rows left are of sessions this gateway no longer holds
        }
        if (instanceLease != null) {
            instanceLease.close(); // after the fleet's rows of this instance are gone
        }
        if (approvals != null) {
            approvals.close();
            approvals.database().close();
        }
        tokens.close();
        admin.close(); // admin endpoint: served until the very end
        health.close();
        approvalChannels.close();
        closeSinks();
        log.info("agentgate stopped");
        terminated.countDown();
    }

    private void closeRetired() {
        for (AutoCloseable part : retired) {
            try {
                part.close();
            } catch (Exception e) {
                log.warn("closing a part replaced by a reload failed: {}", e.toString());
            }
        }
    }

    private void closeSinks() {
        for (SessionEvents sink : sinks) {
            if (sink instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("closing a session event sink failed: {}", e.toString());
                }
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
