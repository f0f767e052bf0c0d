package org.sigbridge.xmpp.room;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;

/**
 * The ids of the last envelopes this adapter sent, each with what is needed to report a later error:
 * a reflected message carrying one of them as XEP-0359 origin-id is ours and is dropped, and an error
 * bounce with one of them as stanza id is reported to the sender. Bounded (oldest forgotten first);
 * payloads are not kept. Thread-safe.
 */
public final class SentEnvelopes {

    private final Map<String, Envelope> recent;

    public SentEnvelopes(int capacity) {
        this.recent = new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Envelope> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Remembers a sent envelope (without its payload). */
    public synchronized void add(Envelope envelope) {
        recent.put(envelope.id(), new Envelope(envelope.id(), envelope.channel(), envelope.sender(), JsonValue.nullValue(),
                envelope.origin(), envelope.receivedAt()));
    }

    public synchronized boolean contains(String id) {
        return recent.containsKey(id);
    }

    /** The sent envelope (payload {@code null}) with this id, if still remembered. */
    public synchronized Optional<Envelope> find(String id) {
        return Optional.ofNullable(recent.get(id));
    }
}
