package org.sigbridge.xmpp.room;

import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jxmpp.jid.Jid;

/**
 * Why one room is not properly joined, for the leg state ({@link MucRoomBinding.Standing#FAILING}) and the error
 * frames of its browsers: the last join's failure or removal (cleared by the next join), a nick shared with another
 * session (kept until the room is left), or the room's destruction (kept: the bridge stays out, see
 * {@link RoomExit}).
 *
 * <p>Threading: written on the adapter's worker; {@link #gone()} and {@link #hint()} are read on hub threads too.
 */
final class RoomTrouble {

    private String problem;
    private String sharedNick;
    private volatile String gone;
    private volatile String hint;

    /** Worker: a join failed, or the room removed us and a rejoin is scheduled. */
    void failing(String why) {
        problem = why;
        hint = why;
    }

    /** Worker: joined; a join failure or removal is over (a shared nick and a destroyed room are not). */
    void joined() {
        problem = null;
        hint = sharedNick;
    }

    /** Worker: the room was destroyed; it is not rejoined while this binding lives. */
    void destroyed(String why) {
        gone = why;
        hint = why;
    }

    /** Any thread: why the room was destroyed, or {@code null}. */
    String gone() {
        return gone;
    }

    /** Any thread: the current trouble in a phrase, for an error frame, or {@code null}. */
    String hint() {
        return hint;
    }

    /** Worker: the room was left on purpose; a join failure and a shared nick no longer count. */
    void left() {
        problem = null;
        sharedNick = null;
        hint = gone;
    }

    /** Worker: whether anything makes the room fail. */
    boolean any() {
        return problem != null || sharedNick != null || gone != null;
    }

    /** Worker: whether anything but a failed join or removal (which a join clears) makes a joined room fail. */
    boolean lasting() {
        return sharedNick != null || gone != null;
    }

    /** Worker: the reason for {@link MucRoomBinding.Standing#FAILING}. */
    String describe() {
        return gone != null ? gone : problem != null ? problem : sharedNick;
    }

    /**
     * Worker: another session shares our nick {@code who}. XEP-0045 lets one account occupy a room from several
     * sessions under one nick (no §7.2.9 conflict), so two bridges sharing a config and account end up as one
     * occupant. Kept until the room is left: the room counts as failing, which keeps the leg (and {@code /readyz})
     * not ready until the operator gives each bridge its own nick.
     *
     * @return the problem text when it is new (to be logged once), else {@code null}
     */
    String nickShared(String who) {
        if (sharedNick != null) {
            return null;
        }
        sharedNick = "nick " + who + " is also used by another session of this account (another bridge with the"
                + " same config?); messages are delivered, but presence and private messages cannot be told apart: give"
                + " each bridge its own nick (xmpp nick, or bridge.name)";
        hint = hint == null ? sharedNick : hint;
        return sharedNick;
    }

    /**
     * Whether the room names another session than ours as our nick's occupant: the muc#user item's {@code jid}
     * (XEP-0045 §7.2.3; shown to moderators and in non-anonymous rooms) is a full JID other than the bridge
     * session's. Prosody shows the first session of a shared nick there, so the bridge that joins second sees it
     * in its own presence at once.
     */
    static boolean anotherSessionHolds(Presence presence, XMPPTCPConnection conn) {
        MUCUser user = MUCUser.from(presence);
        if (user == null || user.getItem() == null || user.getItem().getJid() == null || conn == null || conn.getUser() == null) {
            return false;
        }
        Jid occupant = user.getItem().getJid();
        return occupant.hasResource() && !occupant.equals(conn.getUser());
    }
}
