package org.sigbridge.sip.session;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.sigbridge.sip.mapping.ConferenceInfo;

/**
 * The pages the other instances of this bridge's cluster announce on each channel through its shared AOR
 * (docs/design.md §5.7, docs/cluster.md §2 "SIP announcements on a cluster"). They are never participants here from
 * these documents (the cluster lists them already); they are kept only so that an addressed MESSAGE the registrar forked
 * to every binding of the AOR, for a page of another instance that is bound there too, is answered 404 here and
 * delivered by that instance alone, rather than a second time through the cluster. Documents are applied per sender in
 * version order (RFC 4575 §4.1; a new Call-ID starts over) as {@link AnnouncedParticipants} does; a full document
 * naming nobody (the sender's channel closed) forgets the sender. Bounded: {@link ConferenceInfo#MAX_USERS} ids per
 * sender, {@link #MAX_NODES} senders per channel (the least recently heard dropped first).
 *
 * <p>Thread-safe: every method holds this object's lock briefly (JAIN-SIP threads and the cluster layer's threads).
 */
final class ClusterPeerPages {

    /** Instances of one cluster heard on one channel at most. */
    static final int MAX_NODES = 64;

    private final Map<String, LinkedHashMap<String, Source>> channels = new HashMap<>();

    private static final class Source {
        String callId;
        long version = -1;
        final Set<String> ids = new HashSet<>();
    }

    /** Applies a document another instance of this cluster sent on {@code channel}. */
    synchronized void apply(String channel, String node, String callId, ConferenceInfo info) {
        LinkedHashMap<String, Source> nodes = channels.computeIfAbsent(channel, c -> new LinkedHashMap<>());
        Source source = nodes.remove(node); // re-inserted last: the most recently heard
        if (source == null) {
            source = new Source();
        }
        boolean newSender = !callId.equals(source.callId);
        if (!newSender && info.version() <= source.version) {
            nodes.put(node, source); // stale
            return;
        }
        source.callId = callId;
        source.version = info.version();
        if (info.full()) {
            source.ids.clear();
        }
        for (ConferenceInfo.User u : info.users()) {
            if (u.deleted()) {
                source.ids.remove(u.id());
            } else if (source.ids.size() < ConferenceInfo.MAX_USERS) {
                source.ids.add(u.id());
            }
        }
        if (info.full() && source.ids.isEmpty()) {
            if (nodes.isEmpty()) {
                channels.remove(channel);
            }
            return; // its side of the channel closed
        }
        nodes.put(node, source);
        for (Iterator<String> it = nodes.keySet().iterator(); nodes.size() > MAX_NODES; ) {
            it.next();
            it.remove();
        }
    }

    /** Whether another instance of this cluster announced page {@code id} on {@code channel} through the shared AOR. */
    synchronized boolean announces(String channel, String id) {
        Map<String, Source> nodes = channels.get(channel);
        if (nodes == null) {
            return false;
        }
        for (Source s : nodes.values()) {
            if (s.ids.contains(id)) {
                return true;
            }
        }
        return false;
    }
}
