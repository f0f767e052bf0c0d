package org.sigbridge.config;

import java.time.Duration;

/**
 * The {@code bridge.history:} section: how much of each channel's traffic this bridge keeps so that a client that
 * reconnects with its last position gets what it missed (docs/design.md §3.8, conf/README.md). Bounded twice: at most
 * {@code length} envelopes per channel, none older than {@code max-age}; a channel's history is dropped once it is
 * closed and idle for {@code max-age}.
 *
 * @param length how many envelopes each channel keeps; default 100; 0 keeps none (resume then always answers "not
 *               recovered")
 * @param maxAge how long an envelope is kept; default 2m (socket.io's default recovery window)
 */
public record HistorySettings(Integer length, Duration maxAge) {

    public static final HistorySettings DEFAULTS = new HistorySettings(null, null);

    public HistorySettings {
        length = Check.range("history.length", length, 100, 0, 100_000);
        maxAge = Check.positive("history.max-age", maxAge, Duration.ofMinutes(2));
        if (maxAge.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("history.max-age must be at most 1h: the history is in memory, not a store");
        }
    }

    /** Whether any history is kept. */
    public boolean enabled() {
        return length > 0;
    }
}
