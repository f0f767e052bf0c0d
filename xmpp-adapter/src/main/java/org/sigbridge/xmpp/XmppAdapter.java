package org.sigbridge.xmpp;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.EntityBareJid;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.spi.Adapter;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.AdapterStartException;
import org.sigbridge.spi.Backend;
import org.sigbridge.spi.ChannelLink;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.support.Backoff;
import org.sigbridge.support.NamedThreads;
import org.sigbridge.xmpp.config.BodyMode;
import org.sigbridge.xmpp.config.DefaultNick;
import org.sigbridge.xmpp.config.UserLogin;
import org.sigbridge.xmpp.config.XmppSettings;
import org.sigbridge.xmpp.mapping.RoomAddresses;
import org.sigbridge.xmpp.mapping.SmackExtensions;
import org.sigbridge.xmpp.mapping.XmppEnvelopeMapper;
import org.sigbridge.xmpp.room.InboundGate;
import org.sigbridge.xmpp.room.RoomDirectory;
import org.sigbridge.xmpp.room.RoomServices;
import org.sigbridge.xmpp.room.SentEnvelopes;
import org.sigbridge.xmpp.room.XmppStats;
import org.sigbridge.xmpp.session.ClientSession;
import org.sigbridge.xmpp.session.ConnectionConfigs;
import org.sigbridge.xmpp.session.Identity;
import org.sigbridge.xmpp.session.ReaderHandOff;
import org.sigbridge.xmpp.session.SmackConnectionWarnings;
import org.sigbridge.xmpp.session.TrustMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The XMPP leg: one bridge session (connects in the background, reconnects with jittered capped backoff),
 * a {@link RoomDirectory} of MUC rooms, and the threads they run on: one worker thread that owns all state
 * ({@code xmpp-NAME-worker}) and a bounded pool for blocking Smack requests ({@code xmpp-NAME-request-N}).
 * Both are daemon threads, shut down by {@link #close()}.
 *
 * <p>Lifecycle: {@link #start} once (reads trust files, starts threads, never waits for the server);
 * {@link #drain} waits for queued envelopes; {@link #close} reports what still waits as
 * {@code shutting_down}, leaves the rooms by disconnecting every session, and stops the threads.
 */
public final class XmppAdapter implements Adapter, Backend {

    private static final Logger log = LoggerFactory.getLogger(XmppAdapter.class);
    private static final int REQUEST_THREADS = 4;
    private static final int REQUEST_QUEUE = 1024;
    private static final int SENT_IDS_REMEMBERED = 4096;

    private final String name;
    private final XmppSettings settings;
    private final XmppStats stats = new XmppStats();
    private final Object lifecycle = new Object();
    private AdapterContext context;
    private ScheduledExecutorService worker;
    private ThreadPoolExecutor requests;
    private ConnectionConfigs configs;
    private RoomDirectory rooms;
    private InboundGate inboundGate;
    private String nick; // the bridge occupant's nick, fixed at start (DefaultNick)
    private ClientSession session;
    private SentEnvelopes sent;
    private volatile RoomDirectory.Summary roomSummary = new RoomDirectory.Summary(0, 0, List.of());
    private AutoCloseable metrics;
    private volatile boolean closed;

    public XmppAdapter(String name, XmppSettings settings) {
        this.name = name;
        this.settings = settings;
    }

    @Override
    public String name() {
        return name;
    }

    /** Counters, for logs and metrics. */
    public XmppStats stats() {
        return stats;
    }

    @Override
    public void start(AdapterContext ctx) throws AdapterStartException {
        synchronized (lifecycle) {
            Optional<X509TrustManager> trust;
            try {
                trust = TrustMaterial.load(settings);
            } catch (IllegalArgumentException e) {
                throw new AdapterStartException(name + ": " + e.getMessage(), e);
            }
            SmackExtensions.register();
            SmackConnectionWarnings.install();
            context = ctx;
            configs = new ConnectionConfigs(settings, trust);
            worker = Executors.newSingleThreadScheduledExecutor(NamedThreads.numbered("xmpp-" + name + "-worker"));
            requests = new ThreadPoolExecutor(REQUEST_THREADS, REQUEST_THREADS, 30, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(REQUEST_QUEUE), NamedThreads.numbered("xmpp-" + name + "-request"));
            requests.allowCoreThreadTimeOut(true);
            sent = new SentEnvelopes(SENT_IDS_REMEMBERED);
            RoomServices services = new RoomServices(name, ctx, settings,
                    new XmppEnvelopeMapper(settings.stanzaBudgetBytes()), stats, worker, requests, sent,
                    this::userSession, new AtomicInteger(), this::updateLeg);
            nick = DefaultNick.of(settings.nick(), ctx.bridgeName(), ctx.nodeId());
            rooms = new RoomDirectory(services, nick);
            inboundGate = rooms.inboundGate();
            session = new ClientSession("xmpp-" + name, bridgeIdentity(), configs, backoff(), worker, requests,
                    settings.requestTimeout(), new BridgeSessionListener(), stats.malformed()::increment);
            metrics = XmppMetrics.register(ctx.metrics(), name, stats, () -> roomSummary, inboundGate);
            ctx.legState(new LegState(name, LegState.Status.STARTING, "connecting to " + configs.describeTransport()));
            session.start();
            long sweepMs = Math.max(100, Math.min(1000, settings.pendingMaxAge().toMillis() / 4));
            worker.scheduleWithFixedDelay(rooms::expireAll, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
            if (!settings.selfPingInterval().isZero()) {
                long pingMs = settings.selfPingInterval().toMillis();
                worker.scheduleWithFixedDelay(rooms::selfPingAll, pingMs, pingMs, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public List<String> describe() {
        String identity = settings.anonymous() ? "anonymous@" + settings.anonymousDomain() : settings.username() + "@" + settings.domain();
        String where = settings.mucService() != null ? "rooms on " + settings.mucService() : "rooms per route target";
        return List.of(name + ": " + identity + " via " + configs.describeTransport() + ", " + where + ", occupants "
                + settings.occupants());
    }

    @Override
    public Optional<Backend> backend() {
        return Optional.of(this);
    }

    /** Hub thread, inside the hub's channel lock: creates the link; the join runs on the worker. */
    @Override
    public ChannelLink open(RouteMatch match) {
        EntityBareJid room = RoomAddresses.roomFor(match, settings.mucService());
        BodyMode body = match.leg().flatMap(l -> BodyMode.parse(l.option("body", settings.body().toString()))).orElse(settings.body());
        return rooms.open(match.channel(), room, body);
    }

    /** The room JID as the MUC service knows it: lowercased and XEP-0106-escaped ({@code support\2fteam\201@…}). */
    @Override
    public String upstreamAddress(RouteMatch match) {
        return RoomAddresses.roomFor(match, settings.mucService()).toString();
    }

    /**
     * Whether anyone sits in a channel's room, asked without joining: XEP-0045 §6.5 disco#items on the room
     * lists its occupants. Our own occupants do not count. Completes within {@code request-timeout}; false
     * while the bridge session is down or the room does not exist.
     */
    /** A room reaches every bridge instance that joined it: a cluster layer must not carry its channels too. */
    @Override
    public boolean sharedAcrossInstances() {
        return true;
    }

    @Override
    public CompletionStage<Boolean> probePresence(RouteMatch match) {
        EntityBareJid room = RoomAddresses.roomFor(match, settings.mucService());
        XMPPTCPConnection conn = session == null ? null : session.connection();
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        if (conn == null || closed) {
            answer.complete(false);
            return answer;
        }
        if (!submit(() -> answer.complete(PresenceProbe.anyoneIn(conn, room, rooms.ownNicks(room))))) {
            answer.complete(false);
        }
        return answer.completeOnTimeout(false, settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void drain(Duration grace) {
        Instant deadline = Instant.now().plus(grace);
        while (!closed && Instant.now().isBefore(deadline)) {
            try {
                if (worker.submit(rooms::allDrained).get(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(50); // poll: each check is a worker round trip
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed || worker == null) {
                closed = true;
                return;
            }
            closed = true;
            try {
                worker.submit(() -> {
                    rooms.closeAll(ErrorCode.SHUTTING_DOWN, "the bridge is shutting down");
                    session.close(requests);
                }).get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
                log.warn("{}: closing rooms: {}", name, e.toString());
            }
            worker.shutdownNow();
            requests.shutdown(); // queued leaves and disconnects still run, bounded below
            try {
                if (!requests.awaitTermination(settings.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                    requests.shutdownNow();
                }
                worker.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                requests.shutdownNow();
                Thread.currentThread().interrupt();
            }
            try {
                metrics.close();
            } catch (Exception e) { // removing from a list: cannot fail
                log.debug("{}: metrics: {}", name, e.toString());
            }
            context.legState(new LegState(name, LegState.Status.CLOSED, "closed; " + stats));
        }
    }

    // --- worker ------------------------------------------------------------------------------------------

    /**
     * Reports the leg as it is: {@code READY} while the bridge session is logged in and no room is failing
     * to join (rooms still joining do not hold it back); {@code DOWN} while a room's join keeps failing (the
     * detail names the room and why); the session's own outages are reported by
     * {@link BridgeSessionListener#offline}. The detail counts the rooms, e.g.
     * {@code connected as alice@localhost/x via plain tcp; nick relay; rooms: 2 joined, 0 joining, 0 failing}.
     */
    private void updateLeg() {
        if (closed || session == null) {
            return;
        }
        RoomDirectory.Summary summary = rooms.summary();
        roomSummary = summary;
        if (!session.isOnline()) {
            return; // offline() reported DOWN already
        }
        String detail = "connected as " + session.describe() + " via " + configs.describeTransport() + "; nick " + nick + "; " + summary;
        context.legState(new LegState(name, summary.failing().isEmpty() ? LegState.Status.READY : LegState.Status.DOWN, detail));
    }

    private final class BridgeSessionListener implements ClientSession.Listener {
        @Override
        public void online(ClientSession s, XMPPTCPConnection conn) {
            // Smack's reader thread only enqueues (no Smack listener thread in between); mapping and publishing run on the worker.
            // Room messages pass the inbound limit first (refused ones never reach the worker's queue).
            ReaderHandOff.register(conn, MessageTypeFilter.GROUPCHAT,
                    stanza -> inboundGate.pass((Message) stanza, conn, () -> rooms.inbound((Message) stanza)));
            ReaderHandOff.register(conn, MessageTypeFilter.CHAT,
                    stanza -> inboundGate.pass((Message) stanza, conn, () -> rooms.privateInbound((Message) stanza)));
            ReaderHandOff.register(conn, StanzaTypeFilter.PRESENCE, stanza -> onWorker(() -> rooms.presence((Presence) stanza)));
            conn.addSyncStanzaListener(stanza -> onWorker(() -> rooms.bounced((Message) stanza, true)), MessageTypeFilter.ERROR);
            rooms.sessionOnline(conn);
            updateLeg();
        }

        @Override
        public void offline(ClientSession s, String reason, Duration retryIn) {
            rooms.sessionOffline();
            roomSummary = rooms.summary();
            context.legState(new LegState(name, LegState.Status.DOWN, reason + "; retrying in " + retryIn.toMillis() + " ms"));
        }
    }

    private ClientSession userSession(ClientSession.Listener listener) {
        String resource = "sigbridge-" + randomLetters(8);
        Identity identity = settings.perUserLogin() == UserLogin.ANONYMOUS
                ? Identity.anonymous(settings.anonymousDomain(), resource)
                : new Identity(settings.domain(), settings.username(), settings.password(), resource);
        ClientSession user = new ClientSession("xmpp-" + name + "-user", identity, configs, backoff(), worker, requests,
                settings.requestTimeout(), listener, stats.malformed()::increment);
        return user;
    }

    private Identity bridgeIdentity() {
        String resource = settings.resource() != null ? settings.resource() : "sigbridge-" + randomLetters(8);
        return settings.anonymous() ? Identity.anonymous(settings.anonymousDomain(), resource)
                : new Identity(settings.domain(), settings.username(), settings.password(), resource);
    }

    private Backoff backoff() {
        return Backoff.jittered(settings.reconnectBackoffBase(), settings.reconnectBackoffCap());
    }

    private void onWorker(Runnable task) {
        try {
            worker.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private boolean submit(Runnable task) {
        try {
            requests.execute(task);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    private static String randomLetters(int n) {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "XmppAdapter[" + name + "]";
    }

    /** For tests and logs: counts of rooms. */
    int roomCount() {
        return rooms.size();
    }

    List<String> roomLines() {
        return new ArrayList<>(rooms.describe());
    }
}
