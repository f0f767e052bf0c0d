package org.sigbridge.sip;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one SIP adapter, for metrics and tests. Monotonic; thread-safe.
 *
 * @param requestsIn      requests received (retransmissions absorbed by the stack not counted)
 * @param delivered       incoming MESSAGEs published on a channel (200 or 202)
 * @param refused         incoming requests answered with a 4xx (malformed, not permitted, no channel, ...)
 * @param duplicates      incoming MESSAGEs recognised as retransmissions or loops and not published again
 * @param overloaded      incoming requests answered 503 because of the rate limit or a drain
 * @param messagesSent    outgoing MESSAGEs answered 2xx, or only by our own copy forked back from the channel's AOR
 *                        (no other binding there, docs/design.md §5.6)
 * @param sentOverTcp     outgoing MESSAGEs that went over TCP or TLS
 * @param sendFailures    outgoing MESSAGEs that failed finally (4xx/5xx/6xx, timeout, transport error)
 * @param queueOverflows  envelopes refused because a member's conversation queue was full
 * @param registrations   successful REGISTER refreshes
 * @param conferenceInfoIn      incoming RFC 4575 participant announcements applied (docs/design.md §5.7)
 * @param conferenceInfoRefused incoming RFC 4575 bodies refused (400, 413, 488; counted in {@code refused} too)
 * @param conferenceInfoSent    outgoing participant announcements answered 2xx (not in {@code messagesSent}, which
 *                              counts envelopes)
 * @param conferenceInfoFailures outgoing participant announcements that failed finally (not in {@code sendFailures})
 */
public record SipStats(LongAdder requestsIn, LongAdder delivered, LongAdder refused, LongAdder duplicates,
                       LongAdder overloaded, LongAdder messagesSent, LongAdder sentOverTcp, LongAdder sendFailures,
                       LongAdder queueOverflows, LongAdder registrations, LongAdder conferenceInfoIn,
                       LongAdder conferenceInfoRefused, LongAdder conferenceInfoSent, LongAdder conferenceInfoFailures) {

    /** Fresh counters at zero. */
    public SipStats() {
        this(new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
                new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
                new LongAdder(), new LongAdder());
    }
}
