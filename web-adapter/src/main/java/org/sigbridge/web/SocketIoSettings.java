package org.sigbridge.web;

import java.time.Duration;
import org.sigbridge.config.Check;

/**
 * The {@code socketio:} subsection: the Engine.IO 4 / Socket.IO 5 engine on {@code /socket.io/} that the
 * {@code socketio} dialect (module {@code web-socketio}) mounts (docs/socketio.md, conf/reference/web.md).
 *
 * @param enabled           serve {@code /socket.io/}; default true (the dialect must also be listed in {@code dialects})
 * @param pingInterval      how often the server pings each Engine.IO session (Engine.IO 4 {@code pingInterval}); default 25s
 * @param pingTimeout       how long a pong may take before the session is closed ({@code pingTimeout}); default 20s
 * @param maxHttpBufferSize largest polling POST body and Engine.IO packet, in bytes ({@code maxPayload} in the handshake);
 *                          a larger POST answers 413 and ends the session; default 1000000 as the reference's
 */
public record SocketIoSettings(Boolean enabled, Duration pingInterval, Duration pingTimeout, Integer maxHttpBufferSize) {

    public static final SocketIoSettings DEFAULTS = new SocketIoSettings(null, null, null, null);

    public SocketIoSettings {
        enabled = enabled == null || enabled;
        pingInterval = pingInterval == null ? Duration.ofSeconds(25) : pingInterval;
        pingTimeout = pingTimeout == null ? Duration.ofSeconds(20) : pingTimeout;
        maxHttpBufferSize = maxHttpBufferSize == null ? 1_000_000 : maxHttpBufferSize;
        Check.positive("socketio.ping-interval", pingInterval, "25s");
        Check.positive("socketio.ping-timeout", pingTimeout, "20s");
        Check.range("socketio.max-http-buffer-size", maxHttpBufferSize, 1024, 100_000_000);
        if (pingInterval.compareTo(Duration.ofMinutes(10)) > 0 || pingTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("socketio.ping-interval and socketio.ping-timeout must be at most 10m");
        }
    }
}
