package org.sigbridge.web;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.sigbridge.spi.Adapter;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.AdapterStartException;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.dialect.Dialect;
import org.sigbridge.web.http.Replies;
import org.sigbridge.web.http.RouteApi;
import org.sigbridge.web.http.StaticResources;
import org.sigbridge.web.http.UpgradeGate;
import org.sigbridge.web.http.WebRoutes;
import org.sigbridge.web.identity.Identity;
import org.sigbridge.web.identity.SenderGuard;
import org.sigbridge.web.identity.TokenVerdict;
import org.sigbridge.web.identity.TokenVerifier;
import org.sigbridge.web.loop.EventLoopConnector;
import org.sigbridge.web.limit.KeyedRateLimits;
import org.sigbridge.web.limit.OriginPolicy;
import org.sigbridge.ops.AdminAccess;
import org.sigbridge.ops.AdminApi;
import org.sigbridge.ops.OpsHandler;
import org.sigbridge.spi.ops.OpsMount;
import org.sigbridge.spi.ops.OpsView;
import org.sigbridge.web.ops.DrainControl;
import org.sigbridge.web.ops.WebMetrics;
import org.sigbridge.web.tls.ServerTls;
import org.sigbridge.web.session.SessionLimits;
import org.sigbridge.web.session.SessionRegistry;
import org.sigbridge.web.session.SocketListener;
import org.sigbridge.web.session.WebSession;
import org.sigbridge.web.xhr.XhrHandler;
import org.sigbridge.web.xhr.XhrMailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser front door: one Jetty 12 port for the channels, envelope and XHR dialects, {@code /sigbridge.js}
 * and the demo. A front end (no back end).
 *
 * <p>Threads, all named after the adapter: Jetty's pool {@code web-<name>-http-*}, its scheduler
 * {@code web-<name>-jetty-*}, and one timer {@code web-<name>-timer-1} for pings, XHR sweeps and long-poll
 * timeouts. {@link #close} stops all of them. {@link #start}, {@link #drain} and {@link #close} are called by
 * the bridge on its own thread.
 */
public final class WebAdapter implements Adapter, OpsMount {

    private static final Logger log = LoggerFactory.getLogger(WebAdapter.class);

    private final String name;
    private final WebSettings settings;
    private final WebStats stats = new WebStats();
    private final SessionRegistry registry;
    private final AtomicLong sessionIds = new AtomicLong();
    private Server server;
    private ServerConnector connector;
    private ServerConnector adminConnector;
    private DrainControl drainControl;
    private OpsView ops;
    private ScheduledExecutorService timer;
    private XhrMailbox mailbox;
    private boolean closed;

    public WebAdapter(String name, WebSettings settings) {
        this.name = name;
        this.settings = settings;
        this.registry = new SessionRegistry(settings.maxConnectionsPerAddress());
    }

    @Override
    public String name() {
        return name;
    }

    public WebSettings settings() {
        return settings;
    }

    public WebStats stats() {
        return stats;
    }

    /** The port actually bound (useful with {@code port: 0}); -1 before start. */
    public synchronized int port() {
        return connector == null ? -1 : connector.getLocalPort();
    }

    /** The admin API's own port when {@code admin.port} is set; -1 otherwise or before start. */
    public synchronized int adminPort() {
        return adminConnector == null ? -1 : adminConnector.getLocalPort();
    }

    /** Open WebSockets now. */
    public int openSockets() {
        return registry.size();
    }

    /** The ops endpoints (ops module) are mounted on this port over {@code ops}; without it this port serves none. */
    @Override
    public synchronized void mountOps(OpsView ops) {
        this.ops = ops;
    }

    @Override
    public synchronized void start(AdapterContext context) throws AdapterStartException {
        if (server != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(new NamedThreads("web-" + name + "-timer"));
        QueuedThreadPool pool = new QueuedThreadPool(settings.maxThreads(), Math.min(8, settings.maxThreads()));
        pool.setName("web-" + name + "-http");
        server = new Server(pool, new ScheduledExecutorScheduler("web-" + name + "-jetty", true), null);
        server.setStopTimeout(0); // drain() already let queues flush; stop closes what is left at once
        connector = settings.tls() == null ? new EventLoopConnector(server, settings.ioThreads()) : tlsConnector();
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        // HTTP idle timeout must outlast a held long poll.
        connector.setIdleTimeout(Math.max(settings.idleTimeout().toMillis(), settings.xhr().longPollMaxWait().toMillis() + 5000));
        server.addConnector(connector);
        if (settings.admin().enabled() && settings.admin().separatePort()) {
            adminConnector = new ServerConnector(server, 1, 1);
            adminConnector.setHost(settings.admin().host());
            adminConnector.setPort(settings.admin().port());
            server.addConnector(adminConnector);
        }
        if (settings.xhr().enabled()) {
            mailbox = new XhrMailbox(name, context, settings.xhr(), stats, timer);
        }
        XhrMailbox xhrMailbox = mailbox;
        // A live page holds a long poll or polls again within seconds; one silent for 5 s has left.
        drainControl = new DrainControl(name, registry,
                () -> xhrMailbox == null ? 0 : xhrMailbox.activePollers(Duration.ofSeconds(5)),
                () -> Optional.ofNullable(xhrMailbox).ifPresent(XhrMailbox::releaseWaiters), timer, context.clock());
        WebMetrics.register(context.metrics(), name, stats, registry::countByDialect, drainControl::draining);
        TokenVerifier verifier = settings.identity().verified()
                ? new TokenVerifier(settings.identity().secret(), settings.identity().maxTtl(), context.clock()) : null;

        OriginPolicy origins = new OriginPolicy(settings.allowedOrigins());
        XhrHandler xhr = null;
        if (mailbox != null) {
            xhr = new XhrHandler(mailbox, context, name, stats, origins, settings.maxFrameBytes(), verifier == null ? null
                    : "identity.mode is verified and XHR polling cannot carry a verified sender; use a WebSocket with ?token=",
                    drainControl, new KeyedRateLimits(settings.rateLimit().messagesPerSecond(), settings.rateLimit().burst(),
                            settings.xhr().maxClients(), System::nanoTime));
        }
        ResourceHandler operatorFiles = null;
        if (settings.staticDir() != null) {
            operatorFiles = new ResourceHandler();
            operatorFiles.setBaseResource(ResourceFactory.of(server).newResource(Path.of(settings.staticDir()).toAbsolutePath()));
            operatorFiles.setDirAllowed(false);
            operatorFiles.setCacheControl("no-cache");
        }
        WebRoutes routes = new WebRoutes(new StaticResources(StaticResources.routes(settings.demo()), settings.staticMaxAge()),
                new RouteApi(context), xhr, operatorFiles);
        SessionLimits limits = SessionLimits.from(settings);
        // Jetty's core WebSocket API (see SocketListener for why not its listener API).
        WebSocketUpgradeHandler ws = new WebSocketUpgradeHandler(WebSocketServerComponents.ensureWebSocketComponents(server));
        Configuration wsConfig = ws.getConfiguration();
        wsConfig.setMaxTextMessageSize(settings.maxFrameBytes());
        wsConfig.setMaxBinaryMessageSize(settings.maxFrameBytes());
        wsConfig.setMaxFrameSize(settings.maxFrameBytes());
        wsConfig.setIdleTimeout(settings.idleTimeout());
        wsConfig.setMaxOutgoingFrames(settings.outboundBatchFrames() + 16);
        ws.addMapping(PathSpec.from("/*"), (request, response, callback) -> {
            // No extensions: permessage-deflate would keep a compressor per socket for frames of a few hundred bytes
            // (the ws package's server default is off too).
            response.setExtensions(List.of());
            Dialect dialect = switch (Request.getPathInContext(request)) {
                case "/ws/channels" -> Dialect.CHANNELS;
                case "/ws/envelope" -> Dialect.ENVELOPE;
                default -> Dialect.UNDECIDED;
            };
            var query = Request.extractQueryParameters(request);
            String channel = query.getValue("channel");
            SenderGuard guard = SenderGuard.trusting();
            if (verifier != null) {
                String token = query.getValue(settings.identity().tokenParam());
                Identity identity = null;
                if (token != null) {
                    TokenVerdict verdict = verifier.verify(token);
                    if (verdict instanceof TokenVerdict.Refused refused) {
                        stats.countConnectionRefused(UpgradeRefusal.TOKEN);
                        stats.countError(ErrorCode.NOT_PERMITTED);
                        log.info("{}: refused a WebSocket: token {}", name, refused.detail());
                        Replies.error(response, callback, 401, ErrorCode.NOT_PERMITTED, refused.detail(), null);
                        return null;
                    }
                    identity = ((TokenVerdict.Accepted) verdict).identity();
                }
                guard = SenderGuard.verified(verifier, context.clock(), java.util.Optional.ofNullable(identity));
            }
            SenderGuard socketGuard = guard;
            return new SocketListener(registry, stats, listener -> new WebSession(
                    name + "-" + sessionIds.incrementAndGet(), name, context, limits, stats, dialect, listener, listener, socketGuard),
                    channel, settings.maxFrameBytes());
        });
        ws.setHandler(routes);
        AdminApi admin = settings.admin().enabled() && ops != null
                ? new AdminApi(ops, new AdminAccess(java.util.Optional.ofNullable(settings.admin().token())), drainControl,
                        settings.admin().drainDeadline(), timer)
                : null;
        UpgradeGate gate = new UpgradeGate(origins, registry, stats, ws);
        server.setHandler(ops == null ? gate : new OpsHandler(ops, drainControl, admin, adminConnector, gate));
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly();
            throw new AdapterStartException(name + ": cannot listen on " + settings.host() + ":" + settings.port() + " (" + e.getMessage()
                    + "); set adapters." + name + ".port to a free port, or 0 to pick one", e);
        } catch (Exception e) {
            stopQuietly();
            throw new AdapterStartException(name + ": Jetty did not start: " + e, e);
        }
        if (!settings.pingInterval().isZero()) {
            long every = settings.pingInterval().toMillis();
            timer.scheduleAtFixedRate(registry::pingAll, every, every, TimeUnit.MILLISECONDS);
        }
        if (mailbox != null) {
            timer.scheduleAtFixedRate(mailbox::sweep, 1, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public synchronized List<String> describe() {
        List<String> dialects = new ArrayList<>(List.of("channels", "envelope"));
        if (settings.xhr().enabled()) {
            dialects.add("xhr");
        }
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        List<String> lines = new ArrayList<>();
        lines.add(name + ": listening on " + (settings.tls() != null ? "https" : "http") + "://" + host + ":" + port()
                + "/ (dialects: " + String.join(", ", dialects) + (settings.demo() ? "; demo at /" : "")
                + (settings.identity().verified() ? "; identity verified" : "") + ")");
        if (settings.admin().enabled()) {
            String where = adminConnector != null ? "http://" + settings.admin().host() + ":" + adminPort() + "/admin/" : "/admin/ on the web port";
            lines.add(name + ": admin API at " + where + (settings.admin().token() != null ? " (bearer token)" : " (loopback clients only)"));
        }
        return lines;
    }

    @Override
    public void drain(Duration grace) {
        ServerConnector c;
        synchronized (this) {
            c = connector;
        }
        registry.stopAccepting();
        if (c == null) {
            return;
        }
        c.close(); // no new connections; the open ones keep flushing
        try {
            if (!registry.awaitDrained(grace)) {
                log.info("{}: outbound queues not drained within {}", name, grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        registry.stopAccepting();
        if (mailbox != null) {
            mailbox.close();
        }
        registry.closeAll("the bridge is stopping");
        stopQuietly();
    }

    /** Drain on request (the admin API); see {@link DrainControl}. Null before start. */
    public synchronized DrainControl drainControl() {
        return drainControl;
    }

    private ServerConnector tlsConnector() throws AdapterStartException {
        org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl;
        try {
            ssl = ServerTls.contextFactory(settings.tls());
        } catch (IllegalArgumentException e) {
            stopQuietly();
            throw new AdapterStartException(name + ": " + e.getMessage(), e);
        }
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        return new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    }

    private void stopQuietly() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                log.warn("{}: Jetty did not stop cleanly: {}", name, e.toString());
            }
        }
    }
}
