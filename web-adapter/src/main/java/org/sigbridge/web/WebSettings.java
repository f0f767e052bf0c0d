package org.sigbridge.web;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;
import org.sigbridge.spi.AdapterSettings;

/**
 * The section of an adapter with {@code type: web}. Every key is optional; absent keys take the defaults
 * documented in {@code conf/reference/web.md}. Validated here, before any I/O.
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
 * @param maxThreads                Jetty worker threads for HTTP requests, upgrades, XHR and TLS; default 64
 * @param ioThreads                 event-loop threads that read plain WebSockets and write what the reads produce;
 *                                  default the CPUs available to the JVM, at most 8
 * @param staticMaxAge              {@code Cache-Control} max-age of scripts and styles; default 5m
 * @param xhr                       the XHR-Signaling endpoints
 * @param staticDir                 a folder of the operator's own pages (e.g. seed pages) served at {@code /};
 *                                  default none. The bridge's own files take precedence.
 * @param tls                       serve {@code https://} and {@code wss://}; default none (plain HTTP)
 * @param identity                  how a sender is known: {@code client} (default) or {@code verified} tokens
 * @param admin                     the admin API and its access rules
 * @param dialects                  the browser dialects this adapter mounts, by name ({@link org.sigbridge.web.spi.WebDialect});
 *                                  default every dialect on the class path. An unknown name is refused here.
 */
public record WebSettings(String host, Integer port, Boolean demo, List<String> allowedOrigins, Integer maxFrameBytes,
                          RateLimitSettings rateLimit, Integer maxChannelsPerConnection, Integer maxConnectionsPerAddress,
                          Duration idleTimeout, Duration pingInterval, Integer outboundQueueFrames,
                          Integer outboundBatchFrames, Integer maxThreads, Integer ioThreads, Duration staticMaxAge, XhrSettings xhr,
                          String staticDir, TlsSettings tls, IdentitySettings identity, AdminSettings admin,
                          @JsonDeserialize(contentUsing = DialectNameDeserializer.class) List<String> dialects)
        implements AdapterSettings {

    /** The browser origins allowed when the file names none: loopback pages on any port. */
    public static final List<String> DEFAULT_ORIGINS = List.of(
            "http://localhost:*", "https://localhost:*", "http://127.0.0.1:*", "https://127.0.0.1:*");

    /** Every key at its default. */
    public static WebSettings defaults() {
        return new WebSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
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
        maxThreads = maxThreads == null ? 64 : maxThreads;
        ioThreads = ioThreads == null ? Math.min(8, Runtime.getRuntime().availableProcessors()) : ioThreads;
        staticMaxAge = staticMaxAge == null ? Duration.ofMinutes(5) : staticMaxAge;
        xhr = xhr == null ? XhrSettings.DEFAULTS : xhr;
        identity = identity == null ? IdentitySettings.DEFAULTS : identity;
        admin = admin == null ? AdminSettings.DEFAULTS : admin;
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
        requireRange("max-frame-bytes", maxFrameBytes, 256, 16 * 1024 * 1024);
        requireRange("max-channels-per-connection", maxChannelsPerConnection, 1, 100_000);
        requireRange("max-connections-per-address", maxConnectionsPerAddress, 1, 1_000_000);
        requireRange("outbound-queue-frames", outboundQueueFrames, 1, 1_000_000);
        requireRange("outbound-batch-frames", outboundBatchFrames, 1, 1024);
        requireRange("max-threads", maxThreads, 8, 10_000);
        requireRange("io-threads", ioThreads, 1, 256);
        requirePositive("idle-timeout", idleTimeout);
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

    static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    static void requirePositive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, e.g. 30s");
        }
    }
}
