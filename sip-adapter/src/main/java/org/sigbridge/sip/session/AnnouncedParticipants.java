package org.sigbridge.sip.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.sigbridge.sip.mapping.ConferenceInfo;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.Participant;

/**
 * The participants other bridges announce on each channel in RFC 4575 documents (docs/design.md §5.7), per announcing
 * SIP member: they are remote participants of the channel in the hub ({@link AdapterContext#participantJoined}, so
 * presence and rosters show them, as participants an XMPP bridge announces in its occupant's presence are), and they
 * leave with the member ({@link #memberLeft}, the member's TTL). Each member's documents are applied in version order
 * (RFC 4575 §4.1): one whose version is not above the last applied from the same sender is stale and ignored; a new
 * Call-ID is a new sender (a restarted bridge) and starts over. A partial document after a gap is applied anyway (its
 * entries are absolute) and the sender's next full state, at the latest its refresh, mends what was missed. At most
 * {@link ConferenceInfo#MAX_USERS} participants per member.
 *
 * <p>Thread-safe: changes are serialised on this object (JAIN-SIP threads and the worker; each holds it briefly and the
 * hub calls it makes never block); {@link #resolve} reads a concurrent index without the lock, from publishing threads.
 */
public final class AnnouncedParticipants {

    /** What {@link #apply} made of a document. */
    public enum Outcome {
        /** Applied; the sender was known. */
        APPLIED,
        /** Applied; the first document of this sender (member and Call-ID): it may not know our participants yet. */
        NEW_SENDER,
        /** Not applied: its version is not above the last one applied from this sender. */
        STALE
    }

    private final String adapter;
    private final AdapterContext hub;
    /** channel → member URI → what it announced. */
    private final Map<String, Map<String, Source>> channels = new HashMap<>();
    /** channel + '\n' + participant id → the member URI that announced it. */
    private final ConcurrentHashMap<String, String> addressable = new ConcurrentHashMap<>();

    private static final class Source {
        String callId;
        long version;
        final LinkedHashMap<String, Participant> byId = new LinkedHashMap<>();
    }

    public AnnouncedParticipants(String adapter, AdapterContext hub) {
        this.adapter = adapter;
        this.hub = hub;
    }

    /**
     * Applies one document that {@code memberUri} sent on {@code channel} in conversation {@code callId}: joins and leaves
     * go to the hub. The caller has made the sender a member of the channel first.
     */
    public synchronized Outcome apply(String channel, String memberUri, String callId, ConferenceInfo info) {
        Map<String, Source> members = channels.computeIfAbsent(channel, c -> new HashMap<>());
        Source source = members.get(memberUri);
        boolean newSender = source == null || !source.callId.equals(callId);
        if (!newSender && info.version() <= source.version) {
            return Outcome.STALE;
        }
        if (source == null) {
            source = new Source();
            members.put(memberUri, source);
        }
        source.callId = callId;
        source.version = info.version();
        Map<String, Participant> next = new LinkedHashMap<>(info.full() ? Map.of() : source.byId);
        for (ConferenceInfo.User u : info.users()) {
            if (u.deleted()) {
                next.remove(u.id());
            } else if (next.containsKey(u.id()) || next.size() < ConferenceInfo.MAX_USERS) {
                next.put(u.id(), new Participant(adapter, u.id(), u.name()));
            }
        }
        // A sender with nobody left is kept (Call-ID and version) until it leaves, so its next partial is still ordered.
        replace(channel, memberUri, source, next);
        return newSender ? Outcome.NEW_SENDER : Outcome.APPLIED;
    }

    /** The member left the channel (expired, evicted, refused): everyone it announced there leaves too. */
    public synchronized void memberLeft(String channel, String memberUri) {
        Map<String, Source> members = channels.get(channel);
        Source source = members == null ? null : members.remove(memberUri);
        if (source == null) {
            return;
        }
        if (members.isEmpty()) {
            channels.remove(channel);
        }
        replace(channel, memberUri, source, Map.of());
    }

    /** Tells the hub about everyone announced on {@code channel} again (it reopened while the members lived on). */
    public synchronized void reannounce(String channel) {
        Map<String, Source> members = channels.getOrDefault(channel, Map.of());
        members.values().forEach(s -> s.byId.values().forEach(p -> hub.participantJoined(channel, p)));
    }

    /** Whether {@code memberUri} has announced participants on {@code channel} (it speaks RFC 4575: a bridge). */
    public synchronized boolean isAnnouncing(String channel, String memberUri) {
        return channels.getOrDefault(channel, Map.of()).containsKey(memberUri);
    }

    /** Any thread: the member URI through which participant {@code id} of {@code channel} is reached, if one announced it. */
    public Optional<String> resolve(String channel, String id) {
        return Optional.ofNullable(addressable.get(channel + '\n' + id));
    }

    /** Participants announced on {@code channel} now, for tests and diagnostics. */
    public synchronized List<Participant> on(String channel) {
        List<Participant> out = new ArrayList<>();
        channels.getOrDefault(channel, Map.of()).values().forEach(s -> out.addAll(s.byId.values()));
        return out;
    }

    /** Makes {@code source}'s participants {@code next}: leaves first, then joins, each told to the hub once. */
    private void replace(String channel, String memberUri, Source source, Map<String, Participant> next) {
        List<Participant> left = new ArrayList<>();
        for (Participant p : source.byId.values()) {
            if (!p.equals(next.get(p.id()))) {
                left.add(p);
            }
        }
        List<Participant> joined = new ArrayList<>();
        for (Participant p : next.values()) {
            if (!p.equals(source.byId.get(p.id()))) {
                joined.add(p);
            }
        }
        source.byId.clear();
        source.byId.putAll(next);
        for (Participant p : left) {
            addressable.remove(channel + '\n' + p.id(), memberUri);
            hub.participantLeft(channel, p);
        }
        for (Participant p : joined) {
            addressable.put(channel + '\n' + p.id(), memberUri);
            hub.participantJoined(channel, p);
        }
    }
}
