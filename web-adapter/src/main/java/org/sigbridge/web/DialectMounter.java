package org.sigbridge.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.sigbridge.spi.AdapterStartException;
import org.sigbridge.web.http.DeclinedToRoutes;
import org.sigbridge.web.http.HandshakeView;
import org.sigbridge.web.http.PathMounts;
import org.sigbridge.web.http.Replies;
import org.sigbridge.web.session.SessionRegistry;
import org.sigbridge.web.session.WebSocketConnection;
import org.sigbridge.web.spi.Admission;
import org.sigbridge.web.spi.DialectMounts;
import org.sigbridge.web.spi.DrainParticipant;
import org.sigbridge.web.spi.HttpMount;
import org.sigbridge.web.spi.SocketMount;
import org.sigbridge.web.spi.WebDialect;
import org.sigbridge.web.spi.WebHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts the enabled dialects on one adapter's Jetty handlers (Jetty's {@code WebSocketCreator} role, per path): each
 * dialect's WebSocket paths on the upgrade handler, where an admitted upgrade becomes a {@link WebSocketConnection}
 * and a refused one an HTTP error counted by reason; its HTTP paths on the {@link PathMounts}, falling back to the
 * host's routes when its handler declines. Two dialects may not claim the same path spec. Used once, by
 * {@link WebAdapter#start} on the bridge's thread; the upgrade callbacks it installs run on Jetty threads.
 */
final class DialectMounter {

    private static final Logger log = LoggerFactory.getLogger(DialectMounter.class);

    /** What was mounted: the dialects that mounted something (in config order), every mount, and their needs. */
    record Mounted(List<String> names, List<DialectMounts> mounts, Duration heldRequest, List<DrainParticipant> drain) {
    }

    private final String adapter;
    private final WebSettings settings;
    private final WebStats stats;
    private final SessionRegistry registry;

    DialectMounter(String adapter, WebSettings settings, WebStats stats, SessionRegistry registry) {
        this.adapter = adapter;
        this.settings = settings;
        this.stats = stats;
        this.registry = registry;
    }

    Mounted mount(WebHost host, WebSocketUpgradeHandler ws, PathMounts http, Handler routes) throws AdapterStartException {
        Map<String, String> claimed = new HashMap<>();
        claimed.put("http " + PathSpec.from("/").getDeclaration(), "the web host");
        List<String> names = new ArrayList<>();
        List<DialectMounts> mounts = new ArrayList<>();
        List<DrainParticipant> drain = new ArrayList<>();
        Duration held = Duration.ZERO;
        for (WebDialect dialect : InstalledDialects.resolve(settings.dialects())) {
            DialectMounts m = dialect.mount(host);
            mounts.add(m);
            for (SocketMount socket : m.sockets()) {
                claim(claimed, "WebSocket " + socket.path().getDeclaration(), dialect.name());
                mountSocket(ws, socket, host);
            }
            for (HttpMount mount : m.http()) {
                claim(claimed, "http " + mount.path().getDeclaration(), dialect.name());
                http.addMapping(mount.path(), new DeclinedToRoutes(mount.handler(), routes));
            }
            registry.declareDialects(m.labels());
            m.drain().ifPresent(drain::add);
            held = held.compareTo(m.heldRequest()) >= 0 ? held : m.heldRequest();
            if (!m.isEmpty()) {
                names.add(dialect.name());
            }
        }
        return new Mounted(List.copyOf(names), List.copyOf(mounts), held, List.copyOf(drain));
    }

    private void claim(Map<String, String> claimed, String what, String dialect) throws AdapterStartException {
        String earlier = claimed.putIfAbsent(what, dialect);
        if (earlier != null) {
            throw new AdapterStartException(adapter + ": dialects " + earlier + " and " + dialect + " both mount " + what
                    + "; list only one of them in adapters." + adapter + ".dialects");
        }
    }

    /** An upgrade on the mount's path: the host's gate has passed it; the dialect admits or refuses it. */
    private void mountSocket(WebSocketUpgradeHandler ws, SocketMount socket, WebHost host) {
        ws.addMapping(socket.path(), (request, response, callback) -> {
            // No extensions: permessage-deflate would keep a compressor per socket for frames of a few hundred bytes
            // (the ws package's server default is off too).
            response.setExtensions(List.of());
            Admission admission = socket.acceptor().admit(HandshakeView.original(request)); // with its query
            if (admission instanceof Admission.Refuse refused) {
                stats.countConnectionRefused(refused.reason());
                stats.countError(refused.code());
                log.info("{}: refused a WebSocket: {} {}", adapter, refused.reason().label(), refused.detail());
                Replies.error(response, callback, refused.status(), refused.code(), refused.detail(), null);
                return null;
            }
            return new WebSocketConnection(registry, stats, ((Admission.Accept) admission).handler(), host.connectionIds(),
                    host.limits(), settings.maxFrameBytes());
        });
    }
}
