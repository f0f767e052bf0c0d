package org.sigbridge.web.signalr;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.sigbridge.web.SignalRSettings;
import org.sigbridge.web.spi.Admission;
import org.sigbridge.web.spi.DialectMounts;
import org.sigbridge.web.spi.HttpMount;
import org.sigbridge.web.spi.SocketMount;
import org.sigbridge.web.spi.WebDialect;
import org.sigbridge.web.spi.WebHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ASP.NET Core SignalR hubs, {@code signalr}: with the default {@code signalr:} settings every hub name under
 * {@code /hubs/} is a broadcast hub, served as {@code POST /hubs/{name}/negotiate} and the WebSocket
 * {@code /hubs/{name}?id=…}, or Server-Sent Events or Long Polling on the same path (docs/signalr.md). Stateless; each mount owns a {@link HubServer} and its sweep on the host's
 * timer. With {@code signalr.classic} (default) it also serves the classic ASP.NET SignalR 2 hub under
 * {@code signalr.classic-path} ({@link ClassicServer}). Not mounted with {@code signalr.enabled: false}, nor in
 * {@code identity.mode: verified} (SignalR pages carry no sigbridge token).
 */
public final class SignalRDialect implements WebDialect {

    static final String NAME = "signalr";
    /** The connections label of classic SignalR 2 WebSockets. */
    static final String CLASSIC = "signalr-classic";
    /** The client method the hub's broadcast invokes, as the seed's hub names it. */
    static final String CLIENT_METHOD = "onMessageReceived";
    /** The client method that tells a sender a back end failed to deliver its message. */
    static final String FAILURE_METHOD = "onDeliveryFailed";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DialectMounts mount(WebHost host) {
        SignalRSettings settings = host.settings().signalr();
        if (!settings.enabled()) {
            return DialectMounts.NONE;
        }
        if (host.identity().verified()) {
            // Made here, not in a static field: ServiceLoader instantiates dialects before logging is configured.
            Logger log = LoggerFactory.getLogger(SignalRDialect.class);
            log.info("{}: SignalR hubs not mounted: identity.mode is verified and SignalR pages carry no sigbridge token",
                    host.adapter());
            return DialectMounts.NONE;
        }
        HubRoster roster = new HubRoster(host, settings::channelOf);
        HubServer server = new HubServer(host, settings, roster);
        PathSpec hubs = PathSpec.from(settings.path() + "*");
        DialectMounts.Builder mounts = DialectMounts.builder()
                .socket(new SocketMount(hubs, request -> admit(server, request)))
                .http(new HttpMount(hubs, new NegotiateHttp(server)))
                .label(NAME)
                .heldRequest(Duration.ofMillis(HubHttpTransport.POLL_TIMEOUT_MILLIS));
        ClassicServer classic = settings.classic() ? new ClassicServer(host, settings, roster) : null;
        if (classic != null) {
            PathSpec classicPaths = PathSpec.from(settings.classicPath() + "/*");
            mounts.socket(new SocketMount(classicPaths, request -> admitClassic(classic, request)))
                    .http(new HttpMount(classicPaths, new ClassicHttp(classic)))
                    .label(CLASSIC)
                    .heldRequest(ClassicServer.POLL_TIMEOUT)
                    .drain(classic);
        }
        Duration period = sweepPeriod(settings);
        ScheduledFuture<?> sweep = host.timer().scheduleWithFixedDelay(() -> {
            server.sweep();
            if (classic != null) {
                classic.sweep();
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return mounts.onClose(() -> {
            sweep.cancel(false);
            if (classic != null) {
                classic.closeAll("The server is shutting down.");
            }
        }).build();
    }

    /**
     * A classic WebSocket upgrade ({@code …/connect} or {@code …/reconnect} with {@code transport=webSockets}): always
     * accepted; one without a live connection is answered with a global error frame and closed. Jetty thread.
     */
    private static Admission admitClassic(ClassicServer classic, Request request) {
        String path = Request.getPathInContext(request);
        Fields query = Request.extractQueryParameters(request);
        boolean reconnect = path.endsWith("/reconnect");
        ClassicConnection connection = classic.connection(query.getValue("connectionToken")).orElse(null);
        String refusal = null;
        if (!reconnect && !path.endsWith("/connect")) {
            refusal = "WebSockets connect at …/connect or …/reconnect, not " + path + ".";
            connection = null;
        } else if (connection == null) {
            refusal = "Unrecognized connectionToken: the connection is unknown or has ended; start a new one.";
        }
        ClassicConnection found = connection;
        String why = refusal;
        return new Admission.Accept(socket -> new ClassicSocket(socket, classic, found, query.getValue("messageId"), reconnect, why));
    }

    /**
     * An upgrade under the prefix: always accepted; a socket whose path names no hub or whose {@code id} is unknown or
     * taken is refused by its handshake response, in the hub protocol's terms. Jetty thread.
     */
    private static Admission admit(HubServer server, Request request) {
        String path = Request.getPathInContext(request);
        String hub = path.substring(Math.min(path.length(), server.settings().path().length()));
        String refusal = isHubName(hub) ? null : "No hub at '" + path + "': hubs are " + server.settings().path() + "{name}.";
        Fields query = Request.extractQueryParameters(request);
        String token = query.getValue("id");
        return new Admission.Accept(connection -> new HubConnection(connection, server, hub, token, refusal));
    }

    /** A hub name: one path segment of letters, digits, {@code . _ ~ -}. */
    static boolean isHubName(String name) {
        return name.matches("[A-Za-z0-9._~-]{1,128}");
    }

    /** The sweep runs at a quarter of the shortest timeout, between 50 ms and 1 s. */
    static Duration sweepPeriod(SignalRSettings settings) {
        long finest = Math.min(settings.keepAliveInterval().toMillis(),
                Math.min(settings.clientTimeout().toMillis(), settings.handshakeTimeout().toMillis())) / 4;
        return Duration.ofMillis(Math.max(50, Math.min(1000, finest)));
    }
}
