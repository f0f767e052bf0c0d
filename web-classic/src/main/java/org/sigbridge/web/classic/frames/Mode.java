package org.sigbridge.web.classic.frames;

import java.util.Locale;

/**
 * How a classic WebSocket speaks: chosen by its path ({@code /ws/channels}, {@code /ws/envelope}) or, on the
 * catch-all path, recognised from its first publishing frame. {@link #wire()} is the name the connection counts
 * under ({@code sigbridge_web_connections{dialect=…}}).
 */
public enum Mode {
    /** websocket-over-nodejs: {@code open}, {@code checkPresence}, {@code {channel, data}}; bare {@code data} delivered. */
    CHANNELS,
    /** {@code {sender, channel, message}} in and out; whole envelopes delivered. */
    ENVELOPE,
    /** Not decided yet: the first {@code data} or {@code message} frame decides. Delivers like {@link #CHANNELS}. */
    UNDECIDED;

    /** The lower-case name used in logs and metrics. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
