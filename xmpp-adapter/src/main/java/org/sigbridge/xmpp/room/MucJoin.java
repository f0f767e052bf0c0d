package org.sigbridge.xmpp.room;

import java.time.Duration;
import java.util.Set;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.FromMatchesFilter;
import org.jivesoftware.smack.filter.OrFilter;
import org.jivesoftware.smack.filter.PresenceTypeFilter;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.filter.StanzaIdFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.muc.filter.MUCUserStatusCodeFilter;
import org.jivesoftware.smackx.muc.packet.MUCInitialPresence;
import org.jivesoftware.smackx.muc.packet.MUCOwner;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Enters a room with predictable nick-collision resolution: {@code nick}, then {@code nick-2} …
 * {@code nick-}{@value #MAX_ATTEMPTS} on XEP-0045 §7.2.9 {@code <conflict/>}. Requests no history
 * ({@code maxstanzas="0"}, XEP-0045 §7.2.15) so stale offers are never replayed, sends the configured room
 * password (§7.2.6; never logged), and accepts the instant
 * room default configuration when the join created the room (§10.1.2). Blocking: request threads only.
 *
 * <p>The join is the XEP-0045 §7.2 exchange itself (a presence to {@code room/nick}, answered by our own
 * presence with status 110 or an error), not Smack's {@code MultiUserChat}: a joined {@code MultiUserChat}
 * keeps four listeners and a stanza collector per room, and Smack 4.4 runs those listeners on its executor
 * while the reader thread waits for them, for every groupchat message and presence of the room. The
 * binding gets the room's messages and presences from the session's own reader hand-off instead
 * ({@link org.sigbridge.xmpp.session.ReaderHandOff}).
 */
final class MucJoin {

    static final int MAX_ATTEMPTS = 9;

    private MucJoin() {
    }

    /** Thrown when every candidate nick is taken. */
    static final class NickUnavailable extends Exception {
        NickUnavailable(String nick) {
            super("nick " + nick + " and " + nick + "-2 … -" + MAX_ATTEMPTS + " are all taken");
        }
    }

    /**
     * Thrown when the room refuses the join for a reason the operator must fix: a password (XEP-0045 §7.2.6,
     * {@code not-authorized}) or a ban (§7.2.7, {@code forbidden}). The message names the condition and the fix.
     */
    static final class Refused extends Exception {
        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The {@code room-password} to send, or {@code null} when none is set. */
    static String password(org.sigbridge.xmpp.config.XmppSettings settings) {
        return settings.roomPassword() == null ? null : settings.roomPassword().reveal();
    }

    /** The nick candidates in order, e.g. {@code sigbridge}, {@code sigbridge-2}. */
    static String candidate(String nick, int attempt) {
        return attempt == 1 ? nick : nick + "-" + attempt;
    }

    /**
     * Joins; each candidate nick is added to {@code ownNicks} before its join presence is sent, so the
     * room's echo of our own presence is recognised, and removed again if the room refused it.
     *
     * @param password the room password (XEP-0045 §7.2.6, the {@code room-password} setting), or {@code null}
     * @return the nick we got (the room may assign another one than asked for, XEP-0045 §7.2.9)
     */
    static String join(XMPPConnection conn, EntityBareJid room, String nick, Set<String> ownNicks, Duration timeout,
                       String password)
            throws XMPPException.XMPPErrorException, SmackException.NoResponseException, SmackException.NotConnectedException,
            InterruptedException, NickUnavailable, XmppStringprepException, Refused {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            String candidate = candidate(nick, attempt);
            ownNicks.add(candidate);
            try {
                Presence self = enter(conn, JidCreate.entityFullFrom(room, Resourcepart.from(candidate)), timeout, password);
                String got = self.getFrom().getResourceOrThrow().toString();
                ownNicks.add(got);
                MUCUser user = MUCUser.from(self);
                if (user != null && user.getStatus().contains(MUCUser.Status.ROOM_CREATED_201)) {
                    makeInstant(conn, room, timeout);
                }
                return got;
            } catch (XMPPException.XMPPErrorException e) {
                ownNicks.remove(candidate);
                StanzaError.Condition condition = e.getStanzaError().getCondition();
                if (condition == StanzaError.Condition.not_authorized) {
                    throw new Refused("not-authorized: the room is password-protected (XEP-0045 §7.2.6) and "
                            + (password == null ? "room-password is not set" : "refused the configured room-password")
                            + "; set room-password in this xmpp adapter's section to the room's password", e);
                }
                if (condition == StanzaError.Condition.forbidden) {
                    throw new Refused("forbidden: the room bans this bridge's account (XEP-0045 §7.2.7); an owner or admin of"
                            + " the room must lift the ban", e);
                }
                if (condition != StanzaError.Condition.conflict) {
                    throw e;
                }
            } catch (RuntimeException | SmackException.NoResponseException | SmackException.NotConnectedException
                     | InterruptedException | XmppStringprepException e) {
                ownNicks.remove(candidate);
                throw e;
            }
        }
        throw new NickUnavailable(nick);
    }

    /** Sends the join presence and waits for our own presence (status 110) or the error. */
    private static Presence enter(XMPPConnection conn, EntityFullJid occupant, Duration timeout, String password)
            throws XMPPException.XMPPErrorException, SmackException.NoResponseException, SmackException.NotConnectedException,
            InterruptedException {
        Presence join = conn.getStanzaFactory().buildPresenceStanza()
                .to(occupant)
                .addExtension(new MUCInitialPresence(password, -1, 0, -1, null))
                .build();
        StanzaFilter answer = new AndFilter(StanzaTypeFilter.PRESENCE, new OrFilter(
                new AndFilter(FromMatchesFilter.createBare(occupant.asEntityBareJid()), MUCUserStatusCodeFilter.STATUS_110_PRESENCE_TO_SELF),
                new AndFilter(FromMatchesFilter.createFull(occupant), new StanzaIdFilter(join), PresenceTypeFilter.ERROR)));
        return conn.createStanzaCollectorAndSend(answer, join).nextResultOrThrow(timeout.toMillis());
    }

    /** XEP-0045 §10.1.2: accept the default configuration of a room our join created (and the server locked). */
    private static void makeInstant(XMPPConnection conn, EntityBareJid room, Duration timeout)
            throws XMPPException.XMPPErrorException, SmackException.NoResponseException, SmackException.NotConnectedException,
            InterruptedException {
        MUCOwner submit = new MUCOwner();
        submit.setTo(room);
        submit.setType(IQ.Type.set);
        submit.addExtension(DataForm.builder(DataForm.Type.submit).build());
        conn.createStanzaCollectorAndSend(submit).nextResultOrThrow(timeout.toMillis());
    }

    /** Leaves a room we may no longer be in (XEP-0045 §7.14): an unavailable presence, no answer awaited. */
    static void leaveQuietly(XMPPConnection conn, EntityBareJid room, String nick) {
        try {
            conn.sendStanza(conn.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.unavailable)
                    .to(JidCreate.entityFullFrom(room, Resourcepart.from(nick))).build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) { // not connected: then we are not in the room either
            org.slf4j.LoggerFactory.getLogger(MucJoin.class).debug("leaving {}: {}", room, e.toString());
        }
    }
}
