package org.sigbridge.xmpp.room;

import org.sigbridge.envelope.Envelope;
import org.sigbridge.support.RecentIds;

/**
 * The ids of the last envelopes this adapter sent to any room: a message carrying one of them as its envelope id
 * ({@code signal/@id}, or the XEP-0359 origin-id of earlier releases) is ours (a reflection, possibly of a resend, or seen through another of our occupants) and is
 * dropped. Bounded, oldest forgotten first ({@link RecentIds}). Thread-safe.
 */
public final class SentEnvelopes {

    private final RecentIds<String, Boolean> recent;

    public SentEnvelopes(int capacity) {
        this.recent = new RecentIds<>(capacity);
    }

    /** Remembers a sent envelope's id. */
    public void add(Envelope envelope) {
        recent.put(envelope.id(), Boolean.TRUE);
    }

    public boolean contains(String id) {
        return recent.contains(id);
    }
}
