package org.sigbridge.spi;

/**
 * Stable error codes, written on the wire in snake_case ({@code {"error":{"code":"invalid_json",…}}},
 * docs/design.md §3.9) and used as metric labels. Never rename one; add new ones at the end.
 */
public enum ErrorCode {
    /** The frame is not valid JSON. */
    INVALID_JSON,
    /** Valid JSON of the wrong shape for the dialect. */
    INVALID_FRAME,
    /** Above a size limit (frame, payload, upstream stanza or request). */
    TOO_LARGE,
    /** The client sends faster than its rate limit. */
    RATE_LIMITED,
    /** The routing table or identity rules forbid it. */
    NOT_PERMITTED,
    /** The channel is not open on this bridge. */
    NO_SUCH_CHANNEL,
    /** The connection already holds the maximum number of channels. */
    TOO_MANY_CHANNELS,
    /** The upstream server is unreachable or the room not joined, and the wait queue is full or closed. */
    UPSTREAM_UNAVAILABLE,
    /** The upstream refused it (XMPP error, SIP 4xx/5xx/6xx). */
    UPSTREAM_REJECTED,
    /** The upstream did not answer in time (SIP 408, XMPP reply timeout). */
    UPSTREAM_TIMEOUT,
    /** It waited longer than the queue's time limit for the upstream to become ready. */
    EXPIRED,
    /** The bridge is shutting down. */
    SHUTTING_DOWN,
    /** A bug; the detail says where. */
    INTERNAL,
    /**
     * An addressed envelope's recipient is not a participant of the channel anywhere the bridge can reach
     * (no local endpoint presents that id, and the channel's link does not know it either).
     */
    NO_SUCH_RECIPIENT;

    /** The wire form, e.g. {@code invalid_json}. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
