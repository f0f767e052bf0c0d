package org.sigbridge.web.socketio.rmc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.socketio.sio.codec.SioPacket;

/**
 * RTCMultiConnection's scalable broadcast (docs/socketio.md, "Scalable broadcast"), served as rtcmulticonnection-server
 * 1.3.3's Scalable-Broadcast module serves it, for the users whose handshake query says
 * {@code enableScalableBroadcast=true}. Viewers of a broadcast form a relay tree: a viewer that sends
 * {@code join-broadcast} is told which user to take the stream from ({@code join-broadcaster}), a relayer serving at most
 * the query's {@code maxRelayLimitPerUser} receivers (default 2); the first to join a broadcast id with nobody to take
 * it from is its initiator ({@code start-broadcasting}). Where a viewer goes, in order: to the initiator while it has a
 * free slot; else to the user the initiator last gave a viewer, while that one has a free slot; else to the first user
 * of the broadcast that said {@code can-relay-broadcast} and has a free slot; else to the initiator anyway. A relayer
 * that leaves has its receivers told {@code rejoin-broadcast}; an initiator that leaves has everyone of its broadcast
 * told {@code broadcast-stopped}. The initiator hears {@code number-of-broadcast-viewers-updated} as viewers come and
 * go; {@code logs} events tell each party what it serves or receives, with the reference's texts.
 *
 * <p>The tree is this bridge's: it holds the users connected here (the reference's is its process's). The media
 * itself goes over the page's own messages, per user, which reach a relayer elsewhere by addressed delivery in the
 * viewer's room ({@link UserRequests}).
 *
 * <p>Threads: called on each user's session reader; one lock guards the tree, held only to decide — emits happen after
 * it is released. Entries are mutable and live only inside this class.
 */
final class ScalableBroadcast {

    /** One entry of the tree, keyed by the {@code userid} its {@code join-broadcast} named (guarded by the tree). */
    private static final class Viewer {
        final String userid;
        final String broadcastId;
        final int maxRelay;
        final JsonValue typeOfStreams;
        /** The user whose socket registered this entry. */
        final RmcUser user;
        final List<Viewer> relayReceivers = new ArrayList<>();
        boolean initiator;
        String receivingFrom;
        boolean canRelay;
        /** On an initiator: the user it last gave a viewer to serve. */
        String lastRelay;

        Viewer(String userid, String broadcastId, int maxRelay, JsonValue typeOfStreams, RmcUser user) {
            this.userid = userid;
            this.broadcastId = broadcastId;
            this.maxRelay = maxRelay;
            this.typeOfStreams = typeOfStreams;
            this.user = user;
        }
    }

    private static final JsonValue AUDIO_VIDEO = new JsonValue("{\"audio\":true,\"video\":true}");

    /** Entries by userid, in registration order (guarded by this). */
    private final Map<String, Viewer> viewers = new LinkedHashMap<>();

    /**
     * Serves one of the scalable-broadcast events of a user whose query enabled it; {@code false} when the event is not
     * one of them.
     */
    boolean onEvent(RmcUser u, SioPacket event, JsonValue first) {
        switch (event.eventName()) {
            case "join-broadcast" -> join(u, Json.fields(first));
            case "scalable-broadcast-message" -> u.family.everyoneBut(u).forEach(other -> other.emit("scalable-broadcast-message", first));
            case "can-relay-broadcast" -> canRelay(u, true);
            case "can-not-relay-broadcast" -> canRelay(u, false);
            case "check-broadcast-presence" -> {
                boolean live;
                synchronized (this) {
                    Viewer v = viewers.get(RoomRequests.key(first));
                    live = v != null && v.initiator;
                }
                u.ack(event, new JsonValue(Boolean.toString(live)));
            }
            case "get-number-of-users-in-specific-broadcast" -> {
                if (first.isFalsy() || !event.wantsAck()) {
                    return true; // the reference answers neither
                }
                int n;
                synchronized (this) {
                    String id = RoomRequests.key(first);
                    n = viewers.containsKey(id) ? viewersOf(id) : 0;
                }
                u.ack(event, new JsonValue(Integer.toString(n)));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** {@code join-broadcast({userid, broadcastId, typeOfStreams})}. */
    private void join(RmcUser u, Map<String, JsonValue> user) {
        String userid = Json.text(user, "userid");
        String broadcastId = Json.text(user, "broadcastId");
        if (userid == null || broadcastId == null) {
            u.family.stats.countIgnoredFrame();
            return;
        }
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            if (!viewers.containsKey(userid)) {
                u.broadcastKey = userid;
                JsonValue streams = user.get("typeOfStreams");
                viewers.put(userid, new Viewer(userid, broadcastId, u.maxRelay, streams == null || streams.isFalsy() ? AUDIO_VIDEO : streams, u));
                notifyInitiator(broadcastId, false, after);
            }
            Viewer me = viewers.get(userid);
            Viewer relay = firstAvailable(broadcastId, u.maxRelay);
            Viewer initiator = viewers.get(broadcastId);
            if (relay != null && !userid.equals(broadcastId)) {
                me.receivingFrom = relay.userid;
                relay.relayReceivers.add(me);
                if (initiator == null) {
                    return; // the reference fails here (it records the initiator's last relay) and tells nobody
                }
                initiator.lastRelay = relay.userid;
                JsonValue hints = new JsonValue("{\"typeOfStreams\":" + relay.typeOfStreams.json() + ",\"userid\":"
                        + JsonValue.string(relay.userid).json() + ",\"broadcastId\":" + JsonValue.string(relay.broadcastId).json() + "}");
                String relayId = relay.userid;
                RmcUser relaying = relay.user;
                after.add(() -> {
                    u.emit("join-broadcaster", hints);
                    u.emit("logs", JsonValue.string("You <" + userid + "> are getting data/stream from <" + relayId + ">"));
                    relaying.emit("logs", JsonValue.string("You <" + relayId + "> are now relaying/forwarding data/stream to <" + userid + ">"));
                });
            } else {
                me.initiator = true;
                JsonValue streams = me.typeOfStreams;
                after.add(() -> {
                    u.emit("start-broadcasting", streams);
                    u.emit("logs", JsonValue.string("You <" + userid + "> are now serving the broadcast."));
                });
            }
        }
        after.forEach(Runnable::run);
    }

    private void canRelay(RmcUser u, boolean can) {
        synchronized (this) {
            Viewer v = viewers.get(u.broadcastKey != null ? u.broadcastKey : u.userid);
            if (v != null) {
                v.canRelay = can;
            }
        }
    }

    /**
     * The user's socket is gone: a viewer leaves its relayer (and the initiator hears the new count), its receivers are
     * told to rejoin; an initiator's broadcast is told it stopped. Called once, from {@link RmcUser#onDisconnect}.
     */
    void disconnected(RmcUser u) {
        List<Runnable> after = new ArrayList<>();
        synchronized (this) {
            String key = u.broadcastKey;
            Viewer v = key == null ? null : viewers.get(key);
            if (v == null) {
                return;
            }
            if (v.initiator) {
                for (Viewer other : viewers.values()) {
                    if (other.broadcastId.equals(v.broadcastId) && other.user != u) {
                        RmcUser told = other.user;
                        after.add(() -> told.emit("broadcast-stopped", JsonValue.string(v.broadcastId)));
                    }
                }
            } else {
                notifyInitiator(v.broadcastId, true, after);
                Viewer parent = v.receivingFrom == null ? null : viewers.get(v.receivingFrom);
                if (parent != null) {
                    parent.relayReceivers.removeIf(r -> r.userid.equals(v.userid));
                }
                for (Viewer receiver : v.relayReceivers) {
                    Viewer current = viewers.get(receiver.userid);
                    if (current != null) {
                        current.canRelay = false;
                        current.receivingFrom = null;
                        RmcUser told = receiver.user;
                        after.add(() -> told.emit("rejoin-broadcast", JsonValue.string(receiver.broadcastId)));
                    }
                }
            }
            viewers.remove(key);
        }
        after.forEach(Runnable::run);
    }

    /** Who serves the next viewer of {@code broadcastId} (the class comment's order), or {@code null}. Under the lock. */
    private Viewer firstAvailable(String broadcastId, int maxRelay) {
        Viewer initiator = viewers.get(broadcastId);
        if (initiator != null && initiator.relayReceivers.size() < maxRelay) {
            return initiator;
        }
        if (initiator != null && initiator.lastRelay != null) {
            Viewer last = viewers.get(initiator.lastRelay);
            if (last != null && last.relayReceivers.size() < maxRelay) {
                return last;
            }
        }
        for (Viewer v : inJavaScriptOrder()) {
            if (v.broadcastId.equals(broadcastId) && v.relayReceivers.size() < maxRelay && v.canRelay) {
                return v;
            }
        }
        return initiator;
    }

    /**
     * The entries in the order a JavaScript object lists its keys, as the reference walks them: keys that are array
     * indices first, ascending, then the others in insertion order.
     */
    private List<Viewer> inJavaScriptOrder() {
        List<Viewer> indices = new ArrayList<>();
        List<Viewer> others = new ArrayList<>();
        for (Viewer v : viewers.values()) {
            (arrayIndex(v.userid) >= 0 ? indices : others).add(v);
        }
        indices.sort((x, y) -> Long.compare(arrayIndex(x.userid), arrayIndex(y.userid)));
        indices.addAll(others);
        return indices;
    }

    private static long arrayIndex(String key) {
        if (key.isEmpty() || key.length() > 10 || (key.length() > 1 && key.charAt(0) == '0') || !key.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long n = Long.parseLong(key);
        return n < 4_294_967_295L ? n : -1;
    }

    /** The viewers of a broadcast: its entries but one (the initiator's). Under the lock. */
    private int viewersOf(String broadcastId) {
        int n = 0;
        for (Viewer v : viewers.values()) {
            if (v.broadcastId.equals(broadcastId)) {
                n++;
            }
        }
        return n - 1;
    }

    /** Tells the initiator of {@code broadcastId} how many viewers it has (one fewer when one is leaving). Under the lock. */
    private void notifyInitiator(String broadcastId, boolean leaving, List<Runnable> after) {
        Viewer initiator = viewers.get(broadcastId);
        if (initiator == null) {
            return;
        }
        int n = viewersOf(broadcastId) - (leaving ? 1 : 0);
        JsonValue update = new JsonValue("{\"numberOfBroadcastViewers\":" + n + ",\"broadcastId\":" + JsonValue.string(broadcastId).json() + "}");
        RmcUser told = initiator.user;
        after.add(() -> told.emit("number-of-broadcast-viewers-updated", update));
    }

    /** {@code maxRelayLimitPerUser} as the reference reads it: JavaScript's {@code parseInt(value) || 2}. */
    static int maxRelay(String value) {
        if (value == null) {
            return 2;
        }
        String s = value.strip();
        int end = 0;
        if (end < s.length() && (s.charAt(end) == '-' || s.charAt(end) == '+')) {
            end++;
        }
        int digits = end;
        while (end < s.length() && end - digits < 9 && Character.isDigit(s.charAt(end))) {
            end++;
        }
        if (end == digits) {
            return 2;
        }
        int n = Integer.parseInt(s.substring(0, end));
        return n == 0 ? 2 : n;
    }
}
