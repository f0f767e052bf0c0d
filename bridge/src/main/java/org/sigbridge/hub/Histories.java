package org.sigbridge.hub;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.sigbridge.config.HistorySettings;

/**
 * The channel histories of one hub (docs/design.md §3.8), by channel name. A history outlives its channel's closing by
 * {@code history.max-age}, so a client whose channel emptied while it was away still resumes; histories of channels
 * closed and idle longer than that are dropped, at most once a second, when a new one is made. Memory is therefore
 * bounded by the channels used within {@code max-age}, times {@code length} envelopes each. Thread-safe.
 */
final class Histories {

    private final ConcurrentHashMap<String, History> byChannel = new ConcurrentHashMap<>();
    private final HistorySettings settings;
    private final Clock clock;
    private final Predicate<String> open;
    private volatile long nextSweepMillis;

    /**
     * @param open whether a channel is open now (its history is kept whatever its age)
     */
    Histories(HistorySettings settings, Clock clock, Predicate<String> open) {
        this.settings = settings;
        this.clock = clock;
        this.open = open;
    }

    long now() {
        return clock.millis();
    }

    /** The channel's history, made (with a new epoch) when it has none. Marks it used. Never blocks for long. */
    History forChannel(String channel) {
        long now = now();
        if (now >= nextSweepMillis && !byChannel.containsKey(channel)) {
            nextSweepMillis = now + 1000;
            sweep(now);
        }
        return byChannel.compute(channel, (name, h) -> {
            History out = h != null ? h : new History(settings.length(), settings.maxAge().toMillis(), now);
            out.touch(now);
            return out;
        });
    }

    /** The channel's history if it has one. */
    History existing(String channel) {
        return byChannel.get(channel);
    }

    int size() {
        return byChannel.size();
    }

    private void sweep(long now) {
        long maxAge = settings.maxAge().toMillis();
        for (String name : byChannel.keySet()) {
            byChannel.computeIfPresent(name, (k, h) -> now - h.idleSince() > maxAge && !open.test(k) ? null : h);
        }
    }
}
