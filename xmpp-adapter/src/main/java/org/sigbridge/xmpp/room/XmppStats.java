package org.sigbridge.xmpp.room;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one XMPP adapter, for logs now and metrics later. Thread-safe; every field only grows.
 *
 * @param sent             groupchat stanzas handed to Smack
 * @param received         envelopes published to the hub from rooms
 * @param reflections      our own messages coming back from a room, dropped
 * @param malformed        bad {@code signal} elements or JSON from XMPP, ignored
 * @param unknownRoom      groupchat messages from rooms we have no binding for, ignored
 * @param ignored          messages with nothing to relay (subjects, chat states)
 * @param tooLarge         envelopes refused at the edge as above the stanza limit
 * @param queueRejected    envelopes refused because a room's wait queue was full
 * @param expired          envelopes that waited too long for a room and were reported {@code expired}
 * @param upstreamErrors   groupchat messages the server bounced with an error, reported to the sender
 * @param joins            successful room joins (first joins and rejoins)
 * @param membershipLost   rooms found not joined by XEP-0410 self-ping or a kick, then rejoined
 * @param sessionsOpened   per-user sessions opened
 */
public record XmppStats(LongAdder sent, LongAdder received, LongAdder reflections, LongAdder malformed,
                        LongAdder unknownRoom, LongAdder ignored, LongAdder tooLarge, LongAdder queueRejected,
                        LongAdder expired, LongAdder upstreamErrors, LongAdder joins, LongAdder membershipLost,
                        LongAdder sessionsOpened) {

    public XmppStats() {
        this(new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
                new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
                new LongAdder());
    }

    @Override
    public String toString() {
        return "sent=" + sent.sum() + " received=" + received.sum() + " reflections=" + reflections.sum() + " malformed="
                + malformed.sum() + " unknownRoom=" + unknownRoom.sum() + " ignored=" + ignored.sum() + " tooLarge=" + tooLarge.sum()
                + " queueRejected=" + queueRejected.sum() + " expired=" + expired.sum() + " upstreamErrors=" + upstreamErrors.sum()
                + " joins=" + joins.sum() + " membershipLost=" + membershipLost.sum() + " sessionsOpened=" + sessionsOpened.sum();
    }
}
