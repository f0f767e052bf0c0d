package org.sigbridge.web.socketio;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.sigbridge.web.SocketIoSettings;
import org.sigbridge.web.socketio.engine.Engine;
import org.sigbridge.web.socketio.engine.EngineHttpHandler;
import org.sigbridge.web.socketio.engine.EngineWebSocket;
import org.sigbridge.web.socketio.relay.MessageRelay;
import org.sigbridge.web.socketio.engine.EioRevision;
import org.sigbridge.web.socketio.engine.Handshake;
import org.sigbridge.web.socketio.rmc.RmcFamily;
import org.sigbridge.web.socketio.signalmaster.RelayOrSignalmaster;
import org.sigbridge.web.socketio.signalmaster.SignalmasterFamily;
import org.sigbridge.web.socketio.sio.SocketFamily;
import org.sigbridge.web.socketio.sio.RecoverySessions;
import org.sigbridge.web.socketio.sio.SioConnection;
import org.sigbridge.web.socketio.sio.SocketIdentity;
import org.sigbridge.web.socketio.v09.V09Mount;
import org.sigbridge.web.spi.DialectMounts;
import org.sigbridge.web.spi.HttpMount;
import org.sigbridge.web.spi.SocketMount;
import org.sigbridge.web.spi.WebDialect;
import org.sigbridge.web.spi.WebHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code socketio} dialect: Engine.IO 3 and 4 / Socket.IO protocols v4 and v5 on {@code /socket.io/} (HTTP
 * long-polling, WebSocket, upgrade) with three families — the broadcast {@code message} relay, RTCMultiConnection v3's
 * core and signalmaster — picked per connection by {@link #family} (docs/socketio.md). Settings: the web adapter's
 * {@code socketio:} subsection ({@link SocketIoSettings}). Registered in
 * {@code META-INF/services/org.sigbridge.web.spi.WebDialect}.
 *
 * <p>The socket.io-client bundles (4.x, 2.x, 1.x, 0.9) are served at {@code /socket.io/<version>/socket.io.js} and the
 * one {@code client-bundle} names at {@code /socket.io/socket.io.js}, when the build could fetch them
 * ({@link ClientBundle}). With {@code identity.mode: verified} every socket presents a token ({@link SocketIdentity},
 * docs/socketio.md "Verified identity").
 *
 * <p>Socket.IO 0.9 is {@link V09Mount}'s, on {@code /socket.io/1/*} (docs/socketio-09.md).
 */
public final class SocketIoDialect implements WebDialect {

    public static final String NAME = "socketio";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Which family a connection speaks (docs/socketio.md, "Which family"): RTCMultiConnection when its handshake names
     * {@code msgEvent}; on Engine.IO 3, signalmaster or the relay by the first event ({@link RelayOrSignalmaster});
     * else the relay.
     */
    static SocketFamily family(Handshake handshake, SocketFamily relay, SocketFamily rmc, SignalmasterFamily signalmaster) {
        if (RmcFamily.speaks(handshake.query())) {
            return rmc;
        }
        return handshake.revision() == EioRevision.EIO3 ? new RelayOrSignalmaster(relay, signalmaster, handshake.origin()) : relay;
    }

    /**
     * The client bundles: {@code /socket.io/<version>/socket.io.js} (and {@code .min.js}) for each pinned version, and
     * the one {@code client-bundle} names at {@code /socket.io/socket.io.js}; each answers 404 with the reason when the
     * build could not fetch it, and the start-up log says so.
     */
    private static void mountBundles(WebHost host, String selected, DialectMounts.Builder mounts, Logger log) {
        ClassLoader loader = SocketIoDialect.class.getClassLoader();
        java.time.Duration maxAge = host.settings().staticMaxAge();
        List<String> served = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String major : SocketIoSettings.CLIENT_BUNDLES) {
            ClientBundle bundle = ClientBundle.major(loader, major);
            Optional<String> version = bundle.version().or(() -> ClientBundle.pinned(loader, major));
            if (version.isPresent()) {
                String base = "/socket.io/" + version.get() + "/";
                mounts.http(new HttpMount(PathSpec.from(base + "socket.io.js"), bundle.handler(false, maxAge)));
                mounts.http(new HttpMount(PathSpec.from(base + "socket.io.min.js"), bundle.handler(true, maxAge)));
                (bundle.version().isPresent() ? served : missing).add(base + "socket.io.js");
            } else {
                missing.add("socket.io-client " + major + ".x");
            }
            if (major.equals(selected)) {
                mounts.http(new HttpMount(PathSpec.from("/socket.io/socket.io.js"), bundle.handler(false, maxAge)));
                mounts.http(new HttpMount(PathSpec.from("/socket.io/socket.io.min.js"), bundle.handler(true, maxAge)));
                if (bundle.version().isPresent()) {
                    log.info("{}: serving the socket.io-client {} bundle at /socket.io/socket.io.js (socketio.client-bundle: {})",
                            host.adapter(), bundle.version().get(), selected);
                } else {
                    log.warn("{}: /socket.io/socket.io.js answers 404: {}", host.adapter(), ClientBundle.MISSING);
                }
            }
        }
        log.info("{}: socket.io-client bundles at {}", host.adapter(), served.isEmpty() ? "none" : String.join(", ", served));
        if (!missing.isEmpty()) {
            log.warn("{}: not in this build, answering 404: {}", host.adapter(), String.join(", ", missing));
        }
    }

    @Override
    public DialectMounts mount(WebHost host) {
        // Not a static field: the config loader instantiates every dialect (ServiceLoader) before the launcher has
        // configured logging, and a logger created then would fix the logging backend's default configuration.
        Logger log = LoggerFactory.getLogger(SocketIoDialect.class);
        SocketIoSettings settings = host.settings().socketio();
        if (!settings.enabled()) {
            return DialectMounts.NONE;
        }
        SocketIdentity identity = new SocketIdentity(host.identity(), host.stats());
        if (identity.verified()) {
            log.info("{}: socket.io sockets need an identity token (identity.mode: verified): auth: {token} or ?{}=",
                    host.adapter(), host.identity().tokenParam());
        }
        MessageRelay relay = new MessageRelay(host.adapter(), host.hub(), host.stats());
        RmcFamily rmc = new RmcFamily(host.adapter(), host.hub(), host.stats(), settings.connectionStateRecovery() == null ? null
                : settings.connectionStateRecovery().maxDisconnectionDuration(), host.timer(), () -> host.drain().deadlinePassed());
        SignalmasterFamily signalmaster = new SignalmasterFamily(host.adapter(), host.hub(), host.stats(), settings.signalmaster());
        RecoverySessions recovery = settings.connectionStateRecovery() == null ? null
                : new RecoverySessions(settings.connectionStateRecovery().maxDisconnectionDuration(), host.hub().clock(),
                        host.hub()::sharedRecords, host.timer()); // on a cluster, sessions any instance can claim (docs/cluster.md)
        if (recovery != null) {
            log.info("{}: socket.io connection state recovery on (max-disconnection-duration {} s; what was missed must still be "
                    + "in bridge.history)", host.adapter(), settings.connectionStateRecovery().maxDisconnectionDuration().toSeconds());
        }
        Engine[] engine = new Engine[1];
        engine[0] = new Engine(host, settings,
                (session, handshake) -> new SioConnection(host.adapter(), session, handshake,
                        family(handshake, relay, rmc, signalmaster), host.stats(), host.limits(),
                        () -> engine[0].countMalformed(), recovery, identity));
        Engine e = engine[0];
        V09Mount v09 = V09Mount.create(host, settings, relay); // Socket.IO 0.9 on /socket.io/1/* (docs/socketio-09.md)
        PathSpec path = PathSpec.from("/socket.io/*");
        DialectMounts.Builder mounts = DialectMounts.builder();
        mountBundles(host, settings.clientBundle(), mounts, log);
        mounts
                .socket(new SocketMount(path, request -> EngineWebSocket.admit(e, request)))
                .http(new HttpMount(path, new EngineHttpHandler(e)))
                .socket(v09.socket())
                .http(v09.http())
                .label(NAME)
                // a GET is held until packets wait: at most until the next ping (4) or the silent session's end (3)
                .heldRequest(settings.pingInterval().plus(settings.pingTimeout().compareTo(settings.eio3PingTimeout()) > 0
                        ? settings.pingTimeout() : settings.eio3PingTimeout()))
                .onClose(() -> {
                    rmc.stopping(); // before the sessions close: kept users are handed over (docs/cluster.md §4)
                    if (recovery != null) {
                        recovery.close();
                    }
                    e.close();
                    v09.close();
                });
        v09.scripts(log).forEach(mounts::http);
        return mounts.build();
    }
}
