package org.sigbridge.web;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;
import org.sigbridge.config.Check;
import org.sigbridge.spi.AdapterSettings;

/**
 * The section of an adapter with {@code type: web}. Every key is optional; absent keys take the defaults
 * documented in {@code conf/reference/web.md}. Validated here, before any I/O. Code builds one with
 * {@link #builder()}.
 *
 * @param host                      interface to bind; default {@code 127.0.0.1}
 * @param port                      TCP port; {@code 0} picks a free one; default 8888
 * @param demo                      serve the two-tab WebRTC demo at {@code /}; default true
 * @param allowedOrigins            browser origins allowed to open WebSockets and post XHR, besides the
 *                                  bridge's own origin; {@code scheme://host:*} matches any port, {@code *} any origin
 * @param maxFrameBytes             largest text message a client may send; above it the socket is closed
 *                                  with 1009 (RFC 6455 §7.4.1); default 64 KiB
 * @param rateLimit                 per-connection token bucket
 * @param maxChannelsPerConnection  channels one socket may join; default 64
 * @param maxConnectionsPerAddress  open sockets per client IP address; default 256
 * @param idleTimeout               a socket silent for this long is closed; default 60s
 * @param pingInterval              how often the bridge pings each socket so live browsers answer; 0s disables; default 20s
 * @param outboundQueueFrames       frames waiting for one socket; overflow closes it with 1013; default 256
 * @param outboundBatchFrames       frames handed to the transport in one write when several wait; default 16
 * @param maxThreads                Jetty pool threads (HTTP requests, upgrades, long polls' answers, TLS, and the
 *                                  connectors' selectors and acceptors, which the pool lends for good); default
 *                                  {@code 4 × ioThreads + 8} (16 on 2 CPUs, 40 on 8 or more): every HTTP handler of
 *                                  the bridge is non-blocking (a held long poll keeps no thread), so more threads only
 *                                  serve bursts of connects, whose stacks then stay resident (docs/benchmarks.md,
 *                                  s13-polling-memory)
 * @param ioThreads                 event-loop threads that read plain WebSockets and write what the reads produce;
 *                                  default the CPUs available to the JVM, at most 8
 * @param staticMaxAge              {@code Cache-Control} max-age of scripts and styles; default 5m
 * @param xhr                       the XHR-Signaling endpoints
 * @param staticDir                 a folder of the operator's own pages (e.g. seed pages) served at {@code /};
 *                                  default none. The bridge's own files take precedence.
 * @param tls                       serve {@code https://} and {@code wss://}; default none (plain HTTP)
 * @param identity                  how a sender is known: {@code client} (default) or {@code verified} tokens
 * @param admin                     the admin API and its access rules
 * @param peerjs                    the PeerJS server dialect's settings ({@link PeerJsSettings}); read only when that
 *                                  dialect is installed
 * @param socketio                  the Engine.IO / Socket.IO engine on {@code /socket.io/} (the {@code socketio} dialect)
 * @param signalr                   the ASP.NET Core SignalR hubs ({@link SignalRSettings}); read only when the
 *                                  {@code signalr} dialect is installed
 * @param checkpoints               server-side checkpoints for the seed WebSocket formats ({@link CheckpointSettings})
 * @param dialects                  the browser dialects this adapter mounts, by name ({@link org.sigbridge.web.spi.WebDialect});
 *                                  default every dialect on the class path. An unknown name is refused here.
 */
public record WebSettings(String host, Integer port, Boolean demo, List<String> allowedOrigins, Integer maxFrameBytes,
                          RateLimitSettings rateLimit, Integer maxChannelsPerConnection, Integer maxConnectionsPerAddress,
                          Duration idleTimeout, Duration pingInterval, Integer outboundQueueFrames,
                          Integer outboundBatchFrames, Integer maxThreads, Integer ioThreads, Duration staticMaxAge, XhrSettings xhr,
                          String staticDir, TlsSettings tls, IdentitySettings identity, AdminSettings admin,
                          PeerJsSettings peerjs,
                          SocketIoSettings socketio,
                          SignalRSettings signalr,
                          CheckpointSettings checkpoints,
                          List<IceServerSettings> iceServers,
                          @JsonDeserialize(contentUsing = DialectNameDeserializer.class) List<String> dialects)
        implements AdapterSettings {

    /** The browser origins allowed when the file names none: loopback pages on any port. */
    public static final List<String> DEFAULT_ORIGINS = List.of(
            "http://localhost:*", "https://localhost:*", "http://127.0.0.1:*", "https://127.0.0.1:*");

    /** Pool threads left for work beyond the event loops: one goes to the acceptor, two to a separate admin port's. */
    static final int MIN_WORKERS = 4;

    /**
     * The default {@code max-threads}: the event loops the pool lends for good, plus 3 per loop and 8 for requests and
     * TLS handshakes (16 on 2 CPUs). Every handler of the bridge answers or parks a request without blocking its thread,
     * so the pool's size only bounds how many threads a burst of connects starts (Jetty starts one whenever a task
     * waits and none is idle) and whose touched stacks stay resident until they idle out.
     */
    static int defaultMaxThreads(int ioThreads) {
        return 4 * ioThreads + 8;
    }

    /** Every key at its default. */
    public static WebSettings defaults() {
        return builder().build();
    }

    /** Settings for code (an embedding host, a test): every key absent, so at its default, until set. */
    public static Builder builder() {
        return new Builder();
    }

    public WebSettings {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 8888 : port;
        demo = demo == null || demo;
        allowedOrigins = allowedOrigins == null ? DEFAULT_ORIGINS : List.copyOf(allowedOrigins);
        maxFrameBytes = maxFrameBytes == null ? 64 * 1024 : maxFrameBytes;
        rateLimit = rateLimit == null ? RateLimitSettings.DEFAULTS : rateLimit;
        maxChannelsPerConnection = maxChannelsPerConnection == null ? 64 : maxChannelsPerConnection;
        maxConnectionsPerAddress = maxConnectionsPerAddress == null ? 256 : maxConnectionsPerAddress;
        idleTimeout = idleTimeout == null ? Duration.ofSeconds(60) : idleTimeout;
        pingInterval = pingInterval == null ? Duration.ofSeconds(20) : pingInterval;
        outboundQueueFrames = outboundQueueFrames == null ? 256 : outboundQueueFrames;
        outboundBatchFrames = outboundBatchFrames == null ? 16 : outboundBatchFrames;
        ioThreads = ioThreads == null ? Math.min(8, Runtime.getRuntime().availableProcessors()) : ioThreads;
        maxThreads = maxThreads == null ? defaultMaxThreads(ioThreads) : maxThreads;
        staticMaxAge = staticMaxAge == null ? Duration.ofMinutes(5) : staticMaxAge;
        xhr = xhr == null ? XhrSettings.DEFAULTS : xhr;
        identity = identity == null ? IdentitySettings.DEFAULTS : identity;
        admin = admin == null ? AdminSettings.DEFAULTS : admin;
        peerjs = peerjs == null ? PeerJsSettings.DEFAULTS : peerjs;
        socketio = socketio == null ? SocketIoSettings.DEFAULTS : socketio;
        signalr = signalr == null ? SignalRSettings.DEFAULTS : signalr;
        checkpoints = checkpoints == null ? CheckpointSettings.DEFAULTS : checkpoints;
        iceServers = iceServers == null ? List.of() : List.copyOf(iceServers);
        dialects = dialects == null ? InstalledDialects.names() : InstalledDialects.check(dialects);

        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty; use 127.0.0.1 (loopback) or 0.0.0.0 (every interface)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535 (0 picks a free port), not " + port);
        }
        for (String origin : allowedOrigins) {
            if (origin == null || !(origin.equals("*") || origin.matches("https?://[^/\\s]+"))) {
                throw new IllegalArgumentException("allowed-origins entry '" + origin
                        + "' must be scheme://host[:port] (port may be *), e.g. https://app.example.org or http://localhost:*, or * for any");
            }
        }
        Check.range("max-frame-bytes", maxFrameBytes, 256, 16 * 1024 * 1024);
        Check.range("max-channels-per-connection", maxChannelsPerConnection, 1, 100_000);
        Check.range("max-connections-per-address", maxConnectionsPerAddress, 1, 1_000_000);
        Check.range("outbound-queue-frames", outboundQueueFrames, 1, 1_000_000);
        Check.range("outbound-batch-frames", outboundBatchFrames, 1, 1024);
        Check.range("max-threads", maxThreads, 8, 10_000);
        Check.range("io-threads", ioThreads, 1, 256);
        if (maxThreads < ioThreads + MIN_WORKERS) {
            throw new IllegalArgumentException("max-threads (" + maxThreads + ") must be at least io-threads (" + ioThreads + ") + "
                    + MIN_WORKERS + ": the pool lends one thread to each event loop and acceptor; raise max-threads or lower io-threads");
        }
        Check.positive("idle-timeout", idleTimeout, "60s");
        if (pingInterval.isNegative()) {
            throw new IllegalArgumentException("ping-interval must be 0s (off) or positive, e.g. 20s");
        }
        if (!pingInterval.isZero() && pingInterval.compareTo(idleTimeout) >= 0) {
            throw new IllegalArgumentException("ping-interval (" + pingInterval.toSeconds() + "s) must be shorter than idle-timeout ("
                    + idleTimeout.toSeconds() + "s), or 0s to turn pings off");
        }
        if (staticDir != null && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(staticDir))) {
            throw new IllegalArgumentException("static-dir '" + staticDir + "' is not a folder; create it or remove the key");
        }
        if (staticMaxAge.isNegative()) {
            throw new IllegalArgumentException("static-max-age must be 0s or positive, e.g. 5m");
        }
    }

    /**
     * Builds {@link WebSettings} in code with the keys' own names; unset keys take the defaults above, and
     * {@link #build()} validates as loading a file does. Not thread-safe; one use.
     */
    public static final class Builder {
        private String host;
        private Integer port;
        private Boolean demo;
        private List<String> allowedOrigins;
        private Integer maxFrameBytes;
        private RateLimitSettings rateLimit;
        private Integer maxChannelsPerConnection;
        private Integer maxConnectionsPerAddress;
        private Duration idleTimeout;
        private Duration pingInterval;
        private Integer outboundQueueFrames;
        private Integer outboundBatchFrames;
        private Integer maxThreads;
        private Integer ioThreads;
        private Duration staticMaxAge;
        private XhrSettings xhr;
        private String staticDir;
        private TlsSettings tls;
        private IdentitySettings identity;
        private AdminSettings admin;
        private SocketIoSettings socketio;
        private List<String> dialects;
        private PeerJsSettings peerjs;
        private SignalRSettings signalr;
        private CheckpointSettings checkpoints;
        private List<IceServerSettings> iceServers;

        private Builder() {
        }

        /** The interface and port to bind; port 0 picks a free one. */
        public Builder listen(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        public Builder demo(boolean demo) {
            this.demo = demo;
            return this;
        }

        public Builder allowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
            return this;
        }

        public Builder maxFrameBytes(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        public Builder rateLimit(RateLimitSettings rateLimit) {
            this.rateLimit = rateLimit;
            return this;
        }

        public Builder connectionLimits(Integer maxChannelsPerConnection, Integer maxConnectionsPerAddress) {
            this.maxChannelsPerConnection = maxChannelsPerConnection;
            this.maxConnectionsPerAddress = maxConnectionsPerAddress;
            return this;
        }

        public Builder timeouts(Duration idleTimeout, Duration pingInterval) {
            this.idleTimeout = idleTimeout;
            this.pingInterval = pingInterval;
            return this;
        }

        public Builder outbound(Integer outboundQueueFrames, Integer outboundBatchFrames) {
            this.outboundQueueFrames = outboundQueueFrames;
            this.outboundBatchFrames = outboundBatchFrames;
            return this;
        }

        public Builder threads(Integer maxThreads, Integer ioThreads) {
            this.maxThreads = maxThreads;
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder staticFiles(String staticDir, Duration staticMaxAge) {
            this.staticDir = staticDir;
            this.staticMaxAge = staticMaxAge;
            return this;
        }

        public Builder xhr(XhrSettings xhr) {
            this.xhr = xhr;
            return this;
        }

        public Builder tls(TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        public Builder identity(IdentitySettings identity) {
            this.identity = identity;
            return this;
        }

        public Builder admin(AdminSettings admin) {
            this.admin = admin;
            return this;
        }

        /** The PeerJS server dialect's {@code peerjs:} subsection. */
        public Builder peerjs(PeerJsSettings peerjs) {
            this.peerjs = peerjs;
            return this;
        }

        /** The {@code socketio:} subsection. */
        public Builder socketio(SocketIoSettings socketio) {
            this.socketio = socketio;
            return this;
        }

        /** The SignalR dialect's {@code signalr:} subsection. */
        public Builder signalr(SignalRSettings signalr) {
            this.signalr = signalr;
            return this;
        }

        /** The {@code checkpoints:} subsection (seed-dialect checkpoints). */
        public Builder checkpoints(CheckpointSettings checkpoints) {
            this.checkpoints = checkpoints;
            return this;
        }

        /** The STUN and TURN servers served to pages at {@code /api/ice-servers}; default none (host candidates only). */
        public Builder iceServers(List<IceServerSettings> iceServers) {
            this.iceServers = iceServers;
            return this;
        }

        /** The browser dialects to mount, by name; default every dialect on the class path. */
        public Builder dialects(List<String> dialects) {
            this.dialects = dialects;
            return this;
        }

        /** @throws IllegalArgumentException as loading the same keys from a file would */
        public WebSettings build() {
            return new WebSettings(host, port, demo, allowedOrigins, maxFrameBytes, rateLimit, maxChannelsPerConnection,
                    maxConnectionsPerAddress, idleTimeout, pingInterval, outboundQueueFrames, outboundBatchFrames, maxThreads,
                    ioThreads, staticMaxAge, xhr, staticDir, tls, identity, admin, peerjs, socketio, signalr, checkpoints, iceServers, dialects);
        }
    }
}
