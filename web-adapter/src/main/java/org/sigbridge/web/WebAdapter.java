package org.sigbridge.web;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
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
import org.sigbridge.ops.AdminAccess;
import org.sigbridge.ops.AdminApi;
import org.sigbridge.ops.OpsHandler;
import org.sigbridge.spi.Adapter;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.AdapterStartException;
import org.sigbridge.spi.ops.OpsMount;
import org.sigbridge.spi.ops.OpsView;
import org.sigbridge.support.NamedThreads;
import org.sigbridge.web.http.HandshakeView;
import org.sigbridge.web.http.IceServersApi;
import org.sigbridge.web.http.PathMounts;
import org.sigbridge.web.http.RouteApi;
import org.sigbridge.web.http.StaticResources;
import org.sigbridge.web.http.UpgradeGate;
import org.sigbridge.web.http.WebRoutes;
import org.sigbridge.web.identity.IdentityGate;
import org.sigbridge.web.limit.OriginPolicy;
import org.sigbridge.web.loop.EventLoopConnector;
import org.sigbridge.web.ops.DrainControl;
import org.sigbridge.web.ops.WebMetrics;
import org.sigbridge.web.session.SessionLimits;
import org.sigbridge.web.session.SessionRegistry;
import org.sigbridge.web.spi.DialectMounts;
import org.sigbridge.web.spi.DrainParticipant;
import org.sigbridge.web.spi.WebHost;
import org.sigbridge.web.tls.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser front door: one Jetty 12 port for every enabled browser dialect
 * ({@link org.sigbridge.web.spi.WebDialect}s found on the class path, listed by the {@code dialects} key),
 * {@code /sigbridge.js} and the demo. A front end (no back end). The host
 * owns Jetty, the connectors and event loops, the upgrade gate (Origin, per-address limit, drain), the WebSocket
 * transport, the session registry, verified identity and the ops endpoints; dialects own their paths and frames.
 *
 * <p>Threads, all named after the adapter: Jetty's pool {@code web-<name>-http-*}, its scheduler
 * {@code web-<name>-jetty-*}, and one timer {@code web-<name>-timer-1} for pings and the dialects' timed work (XHR
 * sweeps, long-poll timeouts). {@link #close} stops all of them. {@link #start}, {@link #drain} and {@link #close} are called by
 * the bridge on its own thread.
 */
public final class WebAdapter implements Adapter, OpsMount {

    private static final Logger log = LoggerFactory.getLogger(WebAdapter.class);

    private final String name;
    private final WebSettings settings;
    private final WebStats stats = new WebStats();
    private final SessionRegistry registry;
    private Server server;
    private ServerConnector connector;
    private ServerConnector adminConnector;
    private DrainControl drainControl;
    private OpsView ops;
    private ScheduledExecutorService timer;
    private final List<DialectMounts> mounts = new ArrayList<>();
    private final List<String> mountedDialects = new ArrayList<>();
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

    /** Open connections of every dialect now. */
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
        timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.numbered("web-" + name + "-timer"));
        QueuedThreadPool pool = new QueuedThreadPool(settings.maxThreads(), Math.min(8, settings.maxThreads()));
        pool.setName("web-" + name + "-http");
        server = new Server(pool, new ScheduledExecutorScheduler("web-" + name + "-jetty", true), null);
        server.setStopTimeout(0); // drain() already let queues flush; stop closes what is left at once
        connector = settings.tls() == null ? new EventLoopConnector(server, settings.ioThreads()) : tlsConnector();
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        withoutHeaderCache(connector);
        server.addConnector(connector);
        if (settings.admin().enabled() && settings.admin().separatePort()) {
            adminConnector = new ServerConnector(server, 1, 1);
            adminConnector.setHost(settings.admin().host());
            adminConnector.setPort(settings.admin().port());
            withoutHeaderCache(adminConnector);
            server.addConnector(adminConnector);
        }
        List<DrainParticipant> drainers = new CopyOnWriteArrayList<>();
        drainControl = new DrainControl(name, registry, () -> drainers.stream().mapToInt(DrainParticipant::activeClients).sum(),
                context::handingOver, () -> drainers.forEach(DrainParticipant::deadlinePassed), timer, context.clock());
        WebMetrics.register(context.metrics(), name, stats, registry::countByDialect, drainControl::draining);
        OriginPolicy origins = new OriginPolicy(settings.allowedOrigins());
        SessionLimits limits = SessionLimits.from(settings);
        WebHost host = new WebHost(name, context, settings, stats, origins, limits, IdentityGate.from(settings.identity(), context.clock()),
                registry, drainControl, timer, Set.copyOf(settings.dialects()), () -> context.endpointId(name));

        // Jetty's core WebSocket API (see WebSocketConnection for why not its listener API).
        WebSocketUpgradeHandler ws = new WebSocketUpgradeHandler(WebSocketServerComponents.ensureWebSocketComponents(server));
        Configuration wsConfig = ws.getConfiguration();
        wsConfig.setMaxTextMessageSize(settings.maxFrameBytes());
        wsConfig.setMaxBinaryMessageSize(settings.maxFrameBytes());
        wsConfig.setMaxFrameSize(settings.maxFrameBytes());
        wsConfig.setIdleTimeout(settings.idleTimeout());
        wsConfig.setMaxOutgoingFrames(settings.outboundBatchFrames() + 16);
        WebRoutes routes = new WebRoutes(new StaticResources(StaticResources.routes(settings.demo()), settings.staticMaxAge()),
                new RouteApi(context), new IceServersApi(settings.iceServers(), context.clock()), operatorFiles());
        PathMounts http = new PathMounts();
        DialectMounter.Mounted mounted;
        try {
            mounted = new DialectMounter(name, settings, stats, registry).mount(host, ws, http, routes);
        } catch (AdapterStartException e) {
            stopQuietly();
            throw e;
        }
        mounts.addAll(mounted.mounts());
        mountedDialects.addAll(mounted.names());
        drainers.addAll(mounted.drain());
        Duration held = mounted.heldRequest();
        http.addMapping(PathSpec.from("/"), routes);
        Handler plain = HandshakeView.unwrapping(http); // not an upgrade after all: as the client sent it (UpgradeGate)
        ws.setHandler(plain);
        // HTTP idle timeout must outlast a held request (a long poll).
        connector.setIdleTimeout(held.isZero() ? settings.idleTimeout().toMillis()
                : Math.max(settings.idleTimeout().toMillis(), held.toMillis() + 5000));
        AdminApi admin = settings.admin().enabled() && ops != null
                ? new AdminApi(ops, new AdminAccess(java.util.Optional.ofNullable(settings.admin().token())), drainControl,
                        settings.admin().drainDeadline(), timer)
                : null;
        UpgradeGate gate = new UpgradeGate(origins, registry, stats, ws, plain);
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
    }

    private ResourceHandler operatorFiles() {
        if (settings.staticDir() == null) {
            return null;
        }
        ResourceHandler operatorFiles = new ResourceHandler();
        operatorFiles.setBaseResource(ResourceFactory.of(server).newResource(Path.of(settings.staticDir()).toAbsolutePath()));
        operatorFiles.setDirAllowed(false);
        operatorFiles.setCacheControl("no-cache");
        return operatorFiles;
    }

    @Override
    public synchronized List<String> describe() {
        List<String> dialects = server == null ? settings.dialects() : mountedDialects;
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
                log.info("{}: outbound queues not drained within {}", name, org.sigbridge.config.DurationText.format(grace));
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
        mounts.forEach(m -> m.onClose().run());
        registry.closeAll("the bridge is stopping");
        stopQuietly();
    }

    /** Drain on request (the admin API); see {@link DrainControl}. Null before start. */
    public synchronized DrainControl drainControl() {
        return drainControl;
    }

    /** The largest per-connection header cache size over the started connectors ({@link #withoutHeaderCache}); -1 before start. */
    synchronized int headerCacheSize() {
        if (server == null) {
            return -1;
        }
        int max = 0;
        for (org.eclipse.jetty.server.Connector c : server.getConnectors()) {
            HttpConnectionFactory http = c.getConnectionFactory(HttpConnectionFactory.class);
            max = Math.max(max, http == null ? 0 : http.getHttpConfiguration().getHeaderCacheSize());
        }
        return max;
    }

    /**
     * Turns off Jetty's per-connection header cache on {@code c}'s HTTP/1.1 parser (docs/benchmarks.md, "socket.io 4"):
     * a kept-alive connection otherwise holds a header trie of about 96 KB once its second request is parsed, which
     * made an idle socket.io polling session (a pending GET and a kept-alive POST connection) cost 116 KB. Well-known
     * header names and values still come from Jetty's shared static cache; the rest are parsed into new strings per
     * request, which the polling A/B in docs/benchmarks.md shows costs no measurable CPU. Called before start.
     */
    static void withoutHeaderCache(ServerConnector c) {
        HttpConnectionFactory http = c.getConnectionFactory(HttpConnectionFactory.class);
        if (http != null) {
            http.getHttpConfiguration().setHeaderCacheSize(0);
        }
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
        http.setHeaderCacheSize(0); // as withoutHeaderCache
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
