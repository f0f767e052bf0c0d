package org.sigbridge.web.classic;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.cluster.SessionStore;

/**
 * The {@code session} string of a socket with positions on (docs/dialects.md §5.4), and the participant a later
 * {@code resume} may prove with it (docs/cluster.md §4). Without a cluster the session is the socket's id, as ever, and
 * proves nothing. On a cluster it is {@code <endpoint id>~<participant id>~<tag>}, the tag a MAC under a key every
 * instance shares ({@link SessionStore#tag}): a socket that resumes on any instance naming it in {@code sessions}
 * presents that participant again, so a client moved off a draining instance keeps the identity others address and see
 * in presence. A client only learns its own sessions, and a forged or altered one fails the tag: it gets a participant
 * of its own. The endpoint id part still hides the client's own envelopes from a replay. One per socket: it keeps the
 * participant the socket proved ({@link #claim}, by its reading thread, before it joins a channel); read on any thread.
 */
final class HandedOverIdentity {

    private static final char SEP = '~';

    private final AdapterContext context;
    private final String adapter;
    /** The participant of a session this socket resumed (proven), or {@code null}; set once, before any join. */
    private volatile Participant claimed;

    HandedOverIdentity(AdapterContext context, String adapter) {
        this.context = context;
        this.adapter = adapter;
    }

    /** The participant this socket proved it had on a resume, or {@code own}. */
    Participant participant(Participant own) {
        Participant p = claimed;
        return p != null ? p : own;
    }

    /**
     * Takes the participant that {@code sessions} prove for the socket {@code self} once (a participant stays the same
     * while subscribed: the caller asks only before the socket's first join).
     *
     * @return the participant newly taken, if any
     */
    Optional<Participant> take(Set<String> sessions, String self) {
        if (claimed != null) {
            return Optional.empty();
        }
        Optional<Participant> proven = claim(sessions, self).map(pid -> new Participant(adapter, pid, pid));
        proven.ifPresent(p -> claimed = p);
        return proven;
    }

    /** Whether sessions carry a participant (the bridge runs on a cluster). */
    boolean onCluster() {
        return context.sharedSessions().isPresent();
    }

    /** The {@code session} answer for the socket {@code endpointId} presenting {@code participant}. */
    String session(String endpointId, Participant participant) {
        Optional<SessionStore> store = context.sharedSessions();
        if (store.isEmpty()) {
            return endpointId;
        }
        String claim = endpointId + SEP + participant.id();
        return claim + SEP + store.get().tag(claim);
    }

    /** The participant id the newest session of another socket than {@code self} with a valid tag names, if any. */
    Optional<String> claim(Set<String> sessions, String self) {
        Optional<SessionStore> store = context.sharedSessions();
        if (store.isEmpty()) {
            return Optional.empty();
        }
        List<String> newestFirst = new ArrayList<>(sessions);
        java.util.Collections.reverse(newestFirst);
        for (String s : newestFirst) {
            int first = s.indexOf(SEP);
            int last = s.lastIndexOf(SEP);
            if (first <= 0 || last <= first + 1 || s.substring(0, first).equals(self)) {
                continue; // not a cluster session, or this socket's own (its client may have had it answered already)
            }
            String claim = s.substring(0, last);
            if (store.get().verify(claim, s.substring(last + 1))) {
                return Optional.of(s.substring(first + 1, last));
            }
        }
        return Optional.empty();
    }

    /** The endpoint ids the sessions name (what a replay must not hand back: the client's own envelopes). */
    static Set<String> endpointIds(Set<String> sessions) {
        Set<String> ids = new LinkedHashSet<>();
        for (String s : sessions) {
            int sep = s.indexOf(SEP);
            ids.add(sep < 0 ? s : s.substring(0, sep));
        }
        return ids;
    }
}
