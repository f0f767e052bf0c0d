package org.sigbridge.xmpp.room;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of the last envelopes this adapter sent to any room: a message carrying one of them as XEP-0359
 * origin-id is ours (a reflection, possibly of a resend, or seen through another of our occupants) and is
 * dropped. Bounded, oldest forgotten first. Thread-safe.
 */
public final class SentEnvelopes {

    private final Map<String, Boolean> recent;

    public SentEnvelopes(int capacity) {
        this.recent = new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Remembers a sent envelope's id. */
    public synchronized void add(org.sigbridge.envelope.Envelope envelope) {
        recent.put(envelope.id(), Boolean.TRUE);
    }

    public synchronized boolean contains(String id) {
        return recent.containsKey(id);
    }
}
