package org.sigbridge.sip.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sigbridge.sip.mapping.SipMember;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.Participant;

/**
 * Dynamic channel members: user agents that sent a MESSAGE to a channel, kept for a TTL that each
 * MESSAGE refreshes (docs/design.md §5.4). Joins and expiries are reported to the hub as participants, so
 * they feed channel presence. At most {@code maxPerChannel} per channel: beyond, the least recently
 * active member is dropped. Thread-safe; every method is short and non-blocking.
 */
public final class Membership {

    private final String adapter;
    private final Duration ttl;
    private final int maxPerChannel;
    private final Clock clock;
    private final AdapterContext hub;
    private final java.util.function.BiConsumer<String, String> gone;
    /** channel → member URI → entry, in order of last activity (access-ordered). */
    private final ConcurrentHashMap<String, LinkedHashMap<String, Entry>> channels = new ConcurrentHashMap<>();

    public Membership(String adapter, Duration ttl, int maxPerChannel, Clock clock, AdapterContext hub) {
        this(adapter, ttl, maxPerChannel, clock, hub, (channel, uri) -> { });
    }

    /**
     * @param gone told (channel, member URI) after a member left, on the thread that removed it (a JAIN-SIP thread or the
     *             worker): what the member announced leaves with it (docs/design.md §5.7). Must not block.
     */
    public Membership(String adapter, Duration ttl, int maxPerChannel, Clock clock, AdapterContext hub,
                      java.util.function.BiConsumer<String, String> gone) {
        this.gone = gone;
        this.adapter = adapter;
        this.ttl = ttl;
        this.maxPerChannel = maxPerChannel;
        this.clock = clock;
        this.hub = hub;
    }

    /**
     * {@code member} was active on {@code channel} now; joins it if new. Answers whether it joined now, so a caller
     * whose publication is then refused can {@link #forget} it again.
     */
    public boolean touch(String channel, SipMember member) {
        List<Participant> left = new ArrayList<>();
        boolean[] joined = new boolean[1];
        Instant expires = clock.instant().plus(ttl);
        channels.compute(channel, (name, members) -> {
            LinkedHashMap<String, Entry> m = members != null ? members : new LinkedHashMap<>(16, 0.75f, true);
            Entry previous = m.get(member.uri());
            // The participant the hub was told of stays the one it is told left, whatever name later MESSAGEs carry
            // (another bridge's From names each page's sender).
            m.put(member.uri(), new Entry(member, expires, previous != null ? previous.reported : participant(member)));
            joined[0] = previous == null;
            Iterator<Entry> oldest = m.values().iterator();
            while (m.size() > maxPerChannel && oldest.hasNext()) {
                left.add(oldest.next().reported);
                oldest.remove();
            }
            return m;
        });
        left.forEach(p -> {
            hub.participantLeft(channel, p);
            gone.accept(channel, p.id());
        });
        if (joined[0]) {
            hub.participantJoined(channel, participant(member));
        }
        return joined[0];
    }

    /** Removes {@code member} from {@code channel} now and reports it as left; nothing if it is not a member. */
    public void forget(String channel, SipMember member) {
        Entry[] removed = new Entry[1];
        channels.computeIfPresent(channel, (name, members) -> {
            removed[0] = members.remove(member.uri());
            return members.isEmpty() ? null : members;
        });
        if (removed[0] != null) {
            hub.participantLeft(channel, removed[0].reported);
            gone.accept(channel, member.uri());
        }
    }

    /** The members of a channel now, least recently active first. */
    public List<SipMember> members(String channel) {
        List<SipMember> out = new ArrayList<>();
        channels.computeIfPresent(channel, (name, members) -> {
            members.values().forEach(e -> out.add(e.member));
            return members;
        });
        return out;
    }

    /** Whether any channel has a member whose URI {@code test} accepts now. */
    public boolean anyMember(java.util.function.Predicate<String> test) {
        for (String channel : channels.keySet()) {
            for (SipMember m : members(channel)) {
                if (test.test(m.uri())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a channel has any member now. */
    public boolean hasMembers(String channel) {
        return !members(channel).isEmpty();
    }

    /** Tells the hub about every current member of a channel again (after the channel reopened). */
    public void announce(String channel) {
        List<Participant> reported = new ArrayList<>();
        channels.computeIfPresent(channel, (name, members) -> {
            members.values().forEach(e -> reported.add(e.reported));
            return members;
        });
        reported.forEach(p -> hub.participantJoined(channel, p));
    }

    /** Whether {@code memberUri} is a member of {@code channel} now. */
    public boolean isMember(String channel, String memberUri) {
        boolean[] found = new boolean[1];
        channels.computeIfPresent(channel, (name, members) -> {
            found[0] = members.containsKey(memberUri);
            return members;
        });
        return found[0];
    }

    /** Drops members whose TTL ran out and reports them as left. Called periodically by the worker. */
    public void expire() {
        Instant now = clock.instant();
        for (String channel : channels.keySet()) {
            List<Participant> left = new ArrayList<>();
            channels.computeIfPresent(channel, (name, members) -> {
                members.values().removeIf(e -> {
                    boolean gone = !e.expires.isAfter(now);
                    if (gone) {
                        left.add(e.reported);
                    }
                    return gone;
                });
                return members.isEmpty() ? null : members;
            });
            left.forEach(p -> {
                hub.participantLeft(channel, p);
                this.gone.accept(channel, p.id());
            });
        }
    }

    /** Channels with members, for diagnostics. */
    public Map<String, Integer> sizes() {
        Map<String, Integer> out = new LinkedHashMap<>();
        channels.forEach((c, m) -> out.put(c, m.size()));
        return out;
    }

    private Participant participant(SipMember member) {
        return new Participant(adapter, member.uri(), member.name());
    }

    private record Entry(SipMember member, Instant expires, Participant reported) {
    }
}
