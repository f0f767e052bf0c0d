package org.sigbridge.xmpp.config;

import org.sigbridge.config.Check;

/**
 * The {@code inbound-limit:} subsection of a {@code type: xmpp} adapter: how many messages (groupchat and
 * private, XEP-0045 §7.4 and §7.5) the bridge session takes from the rooms it is in before it refuses more.
 * Token buckets: one per occupant, one per room, both must have a token; and a bound on the messages accepted
 * but not yet handled by the adapter's worker. What is refused is counted in
 * {@code sigbridge_xmpp_inbound_refused_total{reason}} and answered with a message error (RFC 6120 §8.3) as
 * {@code conf/reference/xmpp.md} ("Inbound limit") describes. The bridge's own occupants' messages (the
 * reflections of what it sent) are never refused.
 *
 * @param occupantPerSecond messages per second one occupant may send; default 200
 * @param occupantBurst     messages one occupant may send at once; default twice the rate (at most 1,000,000), 400
 * @param roomPerSecond     messages per second from all occupants of one room together; default 1000
 * @param roomBurst         messages from one room at once; default twice the rate (at most 1,000,000), 2000
 * @param queueSize         messages accepted from all rooms and not yet handled by the worker; default 2000
 */
public record InboundLimitSettings(Integer occupantPerSecond, Integer occupantBurst, Integer roomPerSecond,
                                   Integer roomBurst, Integer queueSize) {

    public static final InboundLimitSettings DEFAULTS = new InboundLimitSettings(null, null, null, null, null);

    public InboundLimitSettings {
        occupantPerSecond = Check.range("inbound-limit.occupant-per-second", occupantPerSecond, 200, 1, 1_000_000);
        occupantBurst = Check.range("inbound-limit.occupant-burst", occupantBurst, Math.min(2 * occupantPerSecond, 1_000_000), 1, 1_000_000);
        roomPerSecond = Check.range("inbound-limit.room-per-second", roomPerSecond, 1000, 1, 1_000_000);
        roomBurst = Check.range("inbound-limit.room-burst", roomBurst, Math.min(2 * roomPerSecond, 1_000_000), 1, 1_000_000);
        queueSize = Check.range("inbound-limit.queue-size", queueSize, 2000, 1, 1_000_000);
        if (roomPerSecond < occupantPerSecond) {
            throw new IllegalArgumentException("inbound-limit.room-per-second (" + roomPerSecond
                    + ") must not be below inbound-limit.occupant-per-second (" + occupantPerSecond
                    + "): one occupant could never reach its own limit");
        }
    }
}
