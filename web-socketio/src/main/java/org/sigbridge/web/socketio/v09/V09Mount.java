package org.sigbridge.web.socketio.v09;

import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.sigbridge.web.SocketIoSettings;
import org.sigbridge.web.socketio.overnodejs.OverNodeJsFamily;
import org.sigbridge.web.socketio.relay.MessageRelay;
import org.sigbridge.web.socketio.reliable.ReliableSignalerFamily;
import org.sigbridge.web.socketio.sio.SocketIdentity;
import org.sigbridge.web.identity.SenderGuard;
import org.sigbridge.web.spi.HttpMount;
import org.sigbridge.web.spi.SocketMount;
import org.sigbridge.web.spi.WebHost;
import org.slf4j.Logger;

/**
 * Socket.IO 0.9 on {@code /socket.io/1/*} (docs/socketio-09.md), a more specific path than the Engine.IO mount's
 * {@code /socket.io/*}: its engine, its HTTP and WebSocket mounts and its families (the broadcast relay is shared with
 * the Socket.IO v5 connections, so both revisions meet on the same hub channels). Built by
 * {@code SocketIoDialect.mount}; {@link #close} runs from the mount's {@code onClose}.
 */
public final class V09Mount {

    /** The path spec of every 0.9 request. */
    public static final String PATH = "/socket.io/1/*";

    private final V09Engine engine;
    private final V09Families families;

    private V09Mount(V09Engine engine, V09Families families) {
        this.engine = engine;
        this.families = families;
    }

    /** Builds the 0.9 server of one web adapter. */
    public static V09Mount create(WebHost host, SocketIoSettings settings, MessageRelay relay) {
        V09Families families = new V09Families(relay,
                new OverNodeJsFamily(host.adapter(), host.hub(), host.stats(), host.limits().maxChannels()),
                new ReliableSignalerFamily(relay, host.stats(), host.limits().maxChannels()));
        SocketIdentity identity = new SocketIdentity(host.identity(), host.stats());
        V09Engine[] engine = new V09Engine[1];
        engine[0] = new V09Engine(host, settings, (session, query) -> new V09Connection(host.adapter(), session,
                query, families, V09Families.Mode.of(query.getValue("family")), host.stats(), host.limits(),
                () -> engine[0].countMalformed(), guardOf(identity, query)));
        return new V09Mount(engine[0], families);
    }

    /**
     * The identity rules of a session whose handshake {@code V09HttpHandler} admitted: the guard of its token, or
     * {@code null} when the token was refused meanwhile (it expired between the handshake and the first transport).
     */
    private static SenderGuard guardOf(SocketIdentity identity, org.sigbridge.web.socketio.engine.HandshakeQuery query) {
        return identity.admit(identity.token(null, query)) instanceof SocketIdentity.Admitted admitted ? admitted.guard() : null;
    }

    /** The 0.9 engine's HTTP mount ({@code /socket.io/1/*}). */
    public HttpMount http() {
        return new HttpMount(PathSpec.from(PATH), new V09HttpHandler(engine));
    }

    /**
     * The scripts 0.9 pages load, as the build fetched them: {@code /socket.io/1/socket.io.js} and
     * {@code /socket.io/1/socket.io.min.js} (socket.io-client 0.9.16) and {@code /reliable-signaler/signaler.js}
     * (reliable-signaler 1.0.2); each answers 404 with the reason when the build had no npm. Logs what is served.
     */
    public List<HttpMount> scripts(Logger log) {
        ClassLoader loader = V09Mount.class.getClassLoader();
        Duration maxAge = engine.host().settings().staticMaxAge();
        V09Scripts full = V09Scripts.load(loader, "socket.io.js", "VERSION");
        V09Scripts min = V09Scripts.load(loader, "socket.io.min.js", "VERSION");
        V09Scripts signaler = V09Scripts.load(loader, "signaler.js", "SIGNALER_VERSION");
        if (full.present() && min.present() && signaler.present()) {
            log.info("{}: serving the socket.io-client {} bundle at /socket.io/1/socket.io.js and Reliable-Signaler {} at "
                    + "/reliable-signaler/signaler.js", engine.host().adapter(), full.version(), signaler.version());
        } else {
            log.warn("{}: /socket.io/1/socket.io.js or /reliable-signaler/signaler.js answers 404: the 0.9 scripts{}",
                    engine.host().adapter(), V09Scripts.MISSING);
        }
        return List.of(new HttpMount(PathSpec.from("/socket.io/1/socket.io.js"), full.handler(maxAge)),
                new HttpMount(PathSpec.from("/socket.io/1/socket.io.min.js"), min.handler(maxAge)),
                new HttpMount(PathSpec.from("/reliable-signaler/signaler.js"), signaler.handler(maxAge)));
    }

    public SocketMount socket() {
        return new SocketMount(PathSpec.from(PATH), request -> V09WebSocket.admit(engine, request));
    }

    public V09Engine engine() {
        return engine;
    }

    public V09Families families() {
        return families;
    }

    /** Closes every 0.9 session (clients are told to reconnect). Any thread; idempotent. */
    public void close() {
        engine.close();
    }
}
