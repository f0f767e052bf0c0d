package org.sigbridge.web;

import java.time.Duration;
import java.util.List;
import org.sigbridge.config.Check;

/**
 * The {@code socketio:} subsection: the Engine.IO 3 and 4 / Socket.IO engine on {@code /socket.io/} that the
 * {@code socketio} dialect (module {@code web-socketio}) mounts (docs/socketio.md, conf/reference/web.md).
 *
 * @param enabled           serve {@code /socket.io/}; default true (the dialect must also be listed in {@code dialects})
 * @param pingInterval      how often the server pings each Engine.IO 4 session, and how often Engine.IO 3 clients are
 *                          told to ping ({@code pingInterval}); default 25s
 * @param pingTimeout       how long an Engine.IO 4 pong may take before the session is closed ({@code pingTimeout});
 *                          default 20s
 * @param maxHttpBufferSize largest polling POST body and Engine.IO packet, in bytes ({@code maxPayload} in the handshake);
 *                          a larger POST answers 413 and ends the session; default 1000000 as the reference's
 * @param eio3PingTimeout   Engine.IO 3's {@code pingTimeout}: a session silent for ping-interval + this is closed;
 *                          default 60s, socket.io 1.x's
 * @param clientBundle      which socket.io-client bundle {@code /socket.io/socket.io.js} serves: {@code 4} (4.8.x, the
 *                          default), {@code 2} (2.5.x), {@code 1} (1.7.4) or {@code 0.9} (0.9.16)
 * @param signalmaster      the signalmaster family's STUN/TURN vending
 * @param connectionStateRecovery socket.io 4.6+ connection state recovery, or {@code null} (the default): off, as in
 *                          socket.io
 */
public record SocketIoSettings(Boolean enabled, Duration pingInterval, Duration pingTimeout, Integer maxHttpBufferSize,
                               Duration eio3PingTimeout, String clientBundle, SignalmasterSettings signalmaster,
                               SocketIoRecoverySettings connectionStateRecovery) {

    /** Settings without connection state recovery. */
    public SocketIoSettings(Boolean enabled, Duration pingInterval, Duration pingTimeout, Integer maxHttpBufferSize,
                            Duration eio3PingTimeout, String clientBundle, SignalmasterSettings signalmaster) {
        this(enabled, pingInterval, pingTimeout, maxHttpBufferSize, eio3PingTimeout, clientBundle, signalmaster, null);
    }

    /** The values {@code client-bundle} takes. */
    public static final List<String> CLIENT_BUNDLES = List.of("4", "2", "1", "0.9");

    public static final SocketIoSettings DEFAULTS = new SocketIoSettings(null, null, null, null, null, null, null);

    public SocketIoSettings {
        enabled = enabled == null || enabled;
        pingInterval = pingInterval == null ? Duration.ofSeconds(25) : pingInterval;
        pingTimeout = pingTimeout == null ? Duration.ofSeconds(20) : pingTimeout;
        maxHttpBufferSize = maxHttpBufferSize == null ? 1_000_000 : maxHttpBufferSize;
        eio3PingTimeout = eio3PingTimeout == null ? Duration.ofSeconds(60) : eio3PingTimeout;
        clientBundle = clientBundle == null ? "4" : clientBundle.strip();
        signalmaster = signalmaster == null ? SignalmasterSettings.DEFAULTS : signalmaster;
        Check.positive("socketio.ping-interval", pingInterval, "25s");
        Check.positive("socketio.ping-timeout", pingTimeout, "20s");
        Check.positive("socketio.eio3-ping-timeout", eio3PingTimeout, "60s");
        Check.range("socketio.max-http-buffer-size", maxHttpBufferSize, 1024, 100_000_000);
        if (pingInterval.compareTo(Duration.ofMinutes(10)) > 0 || pingTimeout.compareTo(Duration.ofMinutes(10)) > 0
                || eio3PingTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("socketio.ping-interval, socketio.ping-timeout and socketio.eio3-ping-timeout must be at most 10m");
        }
        if (!CLIENT_BUNDLES.contains(clientBundle)) {
            throw new IllegalArgumentException("socketio.client-bundle '" + clientBundle + "' must be one of " + CLIENT_BUNDLES
                    + " (the socket.io-client major version served at /socket.io/socket.io.js)");
        }
    }

    /** These settings with another {@code client-bundle} (tests and embedding). */
    public SocketIoSettings withClientBundle(String bundle) {
        return new SocketIoSettings(enabled, pingInterval, pingTimeout, maxHttpBufferSize, eio3PingTimeout, bundle, signalmaster,
                connectionStateRecovery);
    }

    /** These settings with connection state recovery on ({@code null}: off), for tests and embedding. */
    public SocketIoSettings withConnectionStateRecovery(SocketIoRecoverySettings recovery) {
        return new SocketIoSettings(enabled, pingInterval, pingTimeout, maxHttpBufferSize, eio3PingTimeout, clientBundle, signalmaster,
                recovery);
    }
}
