package org.sigbridge.web.dialect;

import java.util.Locale;

/**
 * How a WebSocket speaks: chosen by its path ({@code /ws/channels}, {@code /ws/envelope}) or, on any other
 * path, recognised from its first publishing frame.
 */
public enum Dialect {
    /** websocket-over-nodejs: {@code open}, {@code checkPresence}, {@code {channel, data}}; bare {@code data} delivered. */
    CHANNELS,
    /** {@code {sender, channel, message}} in and out; whole envelopes delivered. */
    ENVELOPE,
    /** Not decided yet: the first {@code data} or {@code message} frame decides. Delivers like {@link #CHANNELS}. */
    UNDECIDED;

    /** The lower-case name used in logs and {@code describe()}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
