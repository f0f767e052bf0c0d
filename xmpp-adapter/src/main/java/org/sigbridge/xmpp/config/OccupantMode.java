package org.sigbridge.xmpp.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code occupants:} who native users see in a room (docs/design.md §4.4). */
public enum OccupantMode {
    /** One bridge occupant per room; browser senders are named in the {@code signal} payload. */
    @JsonProperty("shared") SHARED,
    /** Each browser sender also gets its own XMPP session and occupant, nick = sender. */
    @JsonProperty("per-user") PER_USER;

    @Override
    public String toString() {
        return this == SHARED ? "shared" : "per-user";
    }
}
