package org.sigbridge.xmpp.room;

import java.util.Set;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smackx.muc.packet.Destroy;
import org.jivesoftware.smackx.muc.packet.MUCUser;

/**
 * Why a room removed our occupant, read from the unavailable self-presence it sent (XEP-0045 §9.1.3 kick,
 * status 307; §9.1.6 ban, 301; §9.4 and §9.5 affiliation change, 321; §10.7 room made members-only, 322;
 * §9 "system shutdown", 332; §10.9 room destroyed, a {@code <destroy/>} element). A pure value: the binding
 * decides with {@link #staysOut()} whether to rejoin.
 *
 * <p>The rule (docs/interop.md, "Kicks, bans, destroyed rooms"): XEP-0045 makes a kick a temporary removal and a
 * ban the permanent one, and a Prosody or ejabberd user who is kicked may come straight back. So the bridge
 * rejoins after every removal but a destroyed room, after a backoff; a ban then fails the rejoin with
 * {@code forbidden}, which leaves the room failing and retried with backoff like any refused join. Rejoining a
 * destroyed room would create it again with the service's default settings, undoing what its owner did: the
 * bridge stays out of it instead.
 *
 * @param kind   what happened
 * @param reason the moderator's or owner's reason, or empty
 */
record RoomExit(Kind kind, String reason) {

    enum Kind {
        KICKED("kicked by a moderator (XEP-0045 status 307)"),
        BANNED("banned by an admin (XEP-0045 status 301)"),
        AFFILIATION_CHANGED("removed by an affiliation change (XEP-0045 status 321)"),
        MEMBERS_ONLY("removed because the room became members-only (XEP-0045 status 322)"),
        SHUTDOWN("removed because the MUC service is shutting down (XEP-0045 status 332)"),
        DESTROYED("the room was destroyed by its owner (XEP-0045 §10.9)"),
        REMOVED("our occupant was removed (no reason given; kicked, banned or a server-side cleanup)");

        private final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    /** Reads our own unavailable presence from the room. */
    static RoomExit of(Presence self) {
        MUCUser user = MUCUser.from(self);
        if (user == null) {
            return new RoomExit(Kind.REMOVED, "");
        }
        Destroy destroy = user.getDestroy();
        if (destroy != null) {
            return new RoomExit(Kind.DESTROYED, text(destroy.getReason()));
        }
        String reason = user.getItem() == null ? "" : text(user.getItem().getReason());
        Set<MUCUser.Status> codes = user.getStatus();
        if (codes.contains(MUCUser.Status.BANNED_301)) {
            return new RoomExit(Kind.BANNED, reason);
        }
        if (codes.contains(MUCUser.Status.KICKED_307)) {
            return new RoomExit(Kind.KICKED, reason);
        }
        if (codes.contains(MUCUser.Status.REMOVED_AFFIL_CHANGE_321)) {
            return new RoomExit(Kind.AFFILIATION_CHANGED, reason);
        }
        if (codes.contains(MUCUser.Status.create(322))) {
            return new RoomExit(Kind.MEMBERS_ONLY, reason);
        }
        if (codes.contains(MUCUser.Status.create(332))) {
            return new RoomExit(Kind.SHUTDOWN, reason);
        }
        return new RoomExit(Kind.REMOVED, reason);
    }

    /** Whether the bridge must not rejoin: only a destroyed room, which a join would re-create. */
    boolean staysOut() {
        return kind == Kind.DESTROYED;
    }

    /** One phrase for logs, the leg state and error frames, e.g. {@code kicked by a moderator (…): "testing"}. */
    String describe() {
        return kind.text + (reason.isEmpty() ? "" : ": \"" + reason + "\"");
    }

    private static String text(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s+", " ");
    }
}
