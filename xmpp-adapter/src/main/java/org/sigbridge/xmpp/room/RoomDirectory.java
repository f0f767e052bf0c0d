package org.sigbridge.xmpp.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.EntityBareJid;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.xmpp.config.BodyMode;

/**
 * The rooms of one adapter by room JID. {@link #open} runs on hub threads; everything else on the worker.
 * A room is created by its first link and released (left) by its binding once its grace period is over
 * and no link is attached or about to attach: the reservation is taken and checked under
 * {@link ConcurrentHashMap#compute}, so an {@code open} racing with a release either keeps the old room or
 * gets a new one.
 */
public final class RoomDirectory {

    private final RoomServices services;
    private final String nick;
    private final InboundGate inboundGate;
    private final ConcurrentHashMap<EntityBareJid, MucRoomBinding> rooms = new ConcurrentHashMap<>();
    private final AtomicLong linkIds = new AtomicLong();
    private volatile XMPPTCPConnection connection;

    /**
     * @param nick the bridge occupant's nick in every room
     */
    public RoomDirectory(RoomServices services, String nick) {
        this.services = services;
        this.nick = nick;
        this.inboundGate = new InboundGate(services.adapter(), services.settings().inboundLimit(), this, services.worker());
    }

    /**
     * The adapter's inbound limit, which every message from a room occupant passes before the worker: through the
     * bridge session (groupchat and private) and through each per-user session (private, {@link SenderOccupant}).
     */
    public InboundGate inboundGate() {
        return inboundGate;
    }

    /** Hub thread: a link for a channel that just opened. Never blocks; the join happens on the worker. */
    public RoomLink open(String channel, EntityBareJid room, BodyMode body) {
        MucRoomBinding binding = rooms.compute(room, (jid, existing) -> {
            MucRoomBinding b = existing != null ? existing : new MucRoomBinding(jid, services, this, nick);
            b.reserve();
            return b;
        });
        RoomLink link = new RoomLink(services.adapter() + "/" + channel + "#" + linkIds.incrementAndGet(), services.adapter(),
                channel, body, binding);
        services.onWorker(() -> {
            XMPPTCPConnection c = connection;
            if (c != null) {
                binding.sessionOnline(c);
            }
            binding.attach(link);
        });
        return link;
    }

    /** Any thread: the binding of {@code room}, or {@code null}. */
    MucRoomBinding find(EntityBareJid room) {
        return rooms.get(room);
    }

    /** Worker: a binding whose grace is over leaves, unless a link reserved it meanwhile. */
    void release(MucRoomBinding binding) {
        boolean[] removed = new boolean[1];
        rooms.computeIfPresent(binding.jid(), (jid, existing) -> {
            if (existing == binding && binding.isReleasable()) {
                removed[0] = true;
                return null;
            }
            return existing;
        });
        if (removed[0]) {
            binding.leave(ErrorCode.UPSTREAM_UNAVAILABLE, "XMPP room " + binding.jid() + " was left");
        }
    }

    /** Worker: the bridge session is online; join every room. */
    public void sessionOnline(XMPPTCPConnection conn) {
        connection = conn;
        rooms.values().forEach(b -> b.sessionOnline(conn));
    }

    /** Worker: the bridge session is down. */
    public void sessionOffline() {
        connection = null;
        rooms.values().forEach(MucRoomBinding::sessionOffline);
    }

    /** Worker: a groupchat message reached the bridge session. */
    public void inbound(Message message) {
        MucRoomBinding b = message.getFrom() == null ? null : rooms.get(message.getFrom().asBareJid());
        if (b == null) {
            services.stats().unknownRoom().increment();
            return;
        }
        b.inbound(message);
    }

    /** Worker: a private message (type {@code chat}) reached the bridge session; one from a room we hold goes to it. */
    public void privateInbound(Message message) {
        MucRoomBinding b = message.getFrom() == null ? null : rooms.get(message.getFrom().asBareJid());
        if (b == null) {
            services.stats().ignored().increment(); // a one-to-one chat, not from a room occupant
            return;
        }
        b.privateInbound(message, null);
    }

    /** Worker: a presence reached the bridge session; a room we hold takes it (others, e.g. from contacts, are ignored). */
    public void presence(Presence presence) {
        MucRoomBinding b = presence.getFrom() == null ? null : rooms.get(presence.getFrom().asBareJid());
        if (b != null) {
            b.presence(presence);
        }
    }

    /**
     * Worker: an error bounce that reached one of our sessions; the room it came from decides.
     *
     * @param viaBridge whether it came to the bridge session (else to a per-user session)
     */
    public void bounced(Message error, boolean viaBridge) {
        MucRoomBinding b = error.getFrom() == null ? null : rooms.get(error.getFrom().asBareJid());
        if (b == null) {
            services.stats().ignored().increment();
            return;
        }
        b.bounced(error, viaBridge);
    }

    /** Worker: self-ping every joined room. */
    public void selfPingAll() {
        rooms.values().forEach(MucRoomBinding::selfPing);
    }

    /** Worker: expire waiting envelopes everywhere. */
    public void expireAll() {
        rooms.values().forEach(MucRoomBinding::expire);
    }

    /**
     * Where the rooms stand, for the leg state.
     *
     * @param joined  rooms the bridge occupant is in
     * @param joining rooms being joined (first join or rejoin) with no failure yet
     * @param failing rooms whose last join failed ({@code room: reason}); they are retried with backoff
     */
    public record Summary(int joined, int joining, List<String> failing) {
        /** e.g. {@code rooms: 2 joined, 0 joining, 0 failing}. */
        @Override
        public String toString() {
            return "rooms: " + joined + " joined, " + joining + " joining, " + failing.size() + " failing"
                    + (failing.isEmpty() ? "" : " (" + String.join("; ", failing) + ")");
        }
    }

    /** Worker. */
    public Summary summary() {
        int joined = 0;
        int joining = 0;
        List<String> failing = new ArrayList<>();
        for (MucRoomBinding b : rooms.values()) {
            switch (b.standing()) {
                case JOINED -> joined++;
                case JOINING -> joining++;
                case FAILING -> failing.add(b.jid() + ": " + b.joinProblem());
                case UNNEEDED -> { }
            }
        }
        return new Summary(joined, joining, List.copyOf(failing));
    }

    /** Worker: nothing waits to be sent anywhere; for drain. */
    public boolean allDrained() {
        return rooms.values().stream().allMatch(MucRoomBinding::isDrained);
    }

    public int size() {
        return rooms.size();
    }

    /** Our nicks in a room we hold, for presence probes; empty when we do not hold it. Any thread. */
    public Set<String> ownNicks(EntityBareJid room) {
        MucRoomBinding b = rooms.get(room);
        return b == null ? Set.of() : Set.copyOf(b.ownNicks());
    }

    /** Worker: leaves every room, reporting what still waits with {@code code}. */
    public void closeAll(ErrorCode code, String detail) {
        List<MucRoomBinding> all = new ArrayList<>(rooms.values());
        rooms.clear();
        all.forEach(b -> b.leave(code, detail));
    }

    /** Worker: one line per room. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        rooms.values().forEach(b -> lines.addAll(b.describe()));
        return lines;
    }
}
