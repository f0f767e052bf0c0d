package org.sigbridge.web;

import org.sigbridge.config.Check;

/**
 * The {@code rate-limit:} subsection: a token bucket per WebSocket connection and per XHR client.
 *
 * @param messagesPerSecond tokens added per second; default 50
 * @param burst             bucket size: frames a client may send at once; default 100
 * @param closeAfter        frames refused in a row (each answered {@code rate_limited}) before the socket is
 *                          closed with 1008; default 20
 */
public record RateLimitSettings(Integer messagesPerSecond, Integer burst, Integer closeAfter) {

    public static final RateLimitSettings DEFAULTS = new RateLimitSettings(null, null, null);

    public RateLimitSettings {
        messagesPerSecond = messagesPerSecond == null ? 50 : messagesPerSecond;
        burst = burst == null ? 100 : burst;
        closeAfter = closeAfter == null ? 20 : closeAfter;
        Check.range("rate-limit.messages-per-second", messagesPerSecond, 1, 1_000_000);
        Check.range("rate-limit.burst", burst, 1, 1_000_000);
        Check.range("rate-limit.close-after", closeAfter, 1, 1_000_000);
    }
}
