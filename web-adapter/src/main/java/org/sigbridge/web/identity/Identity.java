package org.sigbridge.web.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.sigbridge.routing.RoutePattern;

/**
 * Who a verified token says the client is. Immutable.
 *
 * @param sender    the sender the bridge stamps on every envelope of this client
 * @param channels  the glob of channels it may use ({@code channels} claim); empty = any channel
 * @param expiresAt the token's {@code exp}
 */
public record Identity(String sender, Optional<String> channels, Instant expiresAt) {

    public Identity {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether the token lets its holder use {@code channel}. */
    public boolean allows(String channel) {
        return channels.map(glob -> RoutePattern.glob(glob).match(channel).isPresent()).orElse(true);
    }

    /** Whether it has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** The channel scope for messages: the glob, or {@code *}. */
    public String scope() {
        return channels.orElse("*");
    }
}
