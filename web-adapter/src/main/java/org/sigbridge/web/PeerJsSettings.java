package org.sigbridge.web;

import java.time.Duration;
import org.sigbridge.config.Check;

/**
 * The {@code peerjs:} subsection: the PeerJS server dialect ({@code web-peerjs}, docs/peerjs.md), read by that
 * dialect when it is installed and enabled. The keys mirror the reference {@code peer} server's options.
 *
 * @param enabled         serve the PeerJS paths; default true
 * @param path            the server's mount path, {@code /} or {@code /name/}; default {@code /}
 * @param key             the API key pages pass ({@code new Peer(id, {key})}); default {@code peerjs}
 * @param expireTimeout   how long a message waits for a peer that is not connected before the sender gets
 *                        {@code EXPIRE}; default 5s
 * @param aliveTimeout    a peer that sent no {@code HEARTBEAT} for this long is closed; default 90s
 * @param concurrentLimit peers connected at once; beyond it {@code ERROR}; default 5000
 * @param allowDiscovery  serve {@code GET {path}{key}/peers}; default false (401)
 * @param queueMessages   messages waiting for one absent peer; beyond it the oldest is dropped; default 64
 */
public record PeerJsSettings(Boolean enabled, String path, String key, Duration expireTimeout, Duration aliveTimeout,
                             Integer concurrentLimit, Boolean allowDiscovery, Integer queueMessages) {

    public static final PeerJsSettings DEFAULTS = new PeerJsSettings(null, null, null, null, null, null, null, null);

    public PeerJsSettings {
        enabled = enabled == null || enabled;
        path = path == null ? "/" : path.endsWith("/") ? path : path + "/";
        key = key == null ? "peerjs" : key;
        expireTimeout = expireTimeout == null ? Duration.ofSeconds(5) : expireTimeout;
        aliveTimeout = aliveTimeout == null ? Duration.ofSeconds(90) : aliveTimeout;
        concurrentLimit = concurrentLimit == null ? 5000 : concurrentLimit;
        allowDiscovery = allowDiscovery != null && allowDiscovery;
        queueMessages = queueMessages == null ? 64 : queueMessages;
        if (!path.matches("/([A-Za-z0-9._~-]+/)*")) {
            throw new IllegalArgumentException("peerjs.path '" + path + "' must be / or /name/ (letters, digits, . _ ~ -)");
        }
        if (!key.matches("[A-Za-z0-9._~-]+")) {
            throw new IllegalArgumentException("peerjs.key '" + key + "' must be letters, digits, . _ ~ or -");
        }
        Check.positive("peerjs.expire-timeout", expireTimeout, "5s");
        Check.positive("peerjs.alive-timeout", aliveTimeout, "90s");
        Check.range("peerjs.concurrent-limit", concurrentLimit, 1, 1_000_000);
        Check.range("peerjs.queue-messages", queueMessages, 1, 10_000);
    }
}
