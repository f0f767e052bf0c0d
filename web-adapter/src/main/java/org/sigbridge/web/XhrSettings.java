package org.sigbridge.web;

import java.time.Duration;
import org.sigbridge.config.Check;

/**
 * The {@code xhr:} subsection: XHR-Signaling's {@code /Home/PostData} and {@code /Home/GetData}
 * (docs/dialects.md §4) with a per-client cursor, and the long-poll {@code /Home/LongPoll}.
 *
 * @param enabled            serve the XHR endpoints; default true
 * @param logEntries         messages kept for pollers; the oldest goes first; default 1024
 * @param retention          how long a message stays pollable; default 60s
 * @param backlog            how far back a poller's first poll starts, like the original's 2-second window; default 2s
 * @param clientTimeout      a poller (cookie) silent for this long is forgotten; default 120s
 * @param maxClients         pollers tracked at once; beyond it the longest-silent is forgotten; default 4096
 * @param longPollMaxWait    longest a long poll is held open before it answers {@code false}; default 25s
 * @param maxWaiters         long polls held at once; beyond it a long poll answers at once; default 1024
 * @param channelIdleTimeout a channel no XHR client posted to for this long is left; default 120s
 */
public record XhrSettings(Boolean enabled, Integer logEntries, Duration retention, Duration backlog, Duration clientTimeout,
                          Integer maxClients, Duration longPollMaxWait, Integer maxWaiters, Duration channelIdleTimeout) {

    public static final XhrSettings DEFAULTS = new XhrSettings(null, null, null, null, null, null, null, null, null);

    public XhrSettings {
        enabled = enabled == null || enabled;
        logEntries = logEntries == null ? 1024 : logEntries;
        retention = retention == null ? Duration.ofSeconds(60) : retention;
        backlog = backlog == null ? Duration.ofSeconds(2) : backlog;
        clientTimeout = clientTimeout == null ? Duration.ofSeconds(120) : clientTimeout;
        maxClients = maxClients == null ? 4096 : maxClients;
        longPollMaxWait = longPollMaxWait == null ? Duration.ofSeconds(25) : longPollMaxWait;
        maxWaiters = maxWaiters == null ? 1024 : maxWaiters;
        channelIdleTimeout = channelIdleTimeout == null ? Duration.ofSeconds(120) : channelIdleTimeout;
        Check.range("xhr.log-entries", logEntries, 1, 1_000_000);
        Check.range("xhr.max-clients", maxClients, 1, 1_000_000);
        Check.range("xhr.max-waiters", maxWaiters, 1, 100_000);
        Check.positive("xhr.retention", retention, "60s");
        Check.positive("xhr.client-timeout", clientTimeout, "120s");
        Check.positive("xhr.long-poll-max-wait", longPollMaxWait, "25s");
        Check.positive("xhr.channel-idle-timeout", channelIdleTimeout, "120s");
        if (backlog.isNegative() || backlog.compareTo(retention) > 0) {
            throw new IllegalArgumentException("xhr.backlog must be between 0s and xhr.retention (" + retention.toSeconds() + "s)");
        }
        if (longPollMaxWait.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("xhr.long-poll-max-wait must be at most 5m; proxies cut longer requests");
        }
    }
}
