package org.sigbridge.xmpp.room;

import java.time.Duration;
import java.util.Set;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.muc.MucEnterConfiguration;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatException;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Enters a room with predictable nick-collision resolution: {@code nick}, then {@code nick-2} …
 * {@code nick-}{@value #MAX_ATTEMPTS} on XEP-0045 §7.2.9 {@code <conflict/>}. Requests no history
 * ({@code maxstanzas="0"}, XEP-0045 §7.2.15) so stale offers are never replayed, and accepts the instant
 * room default configuration when the join created the room (§10.1.2). Blocking: request threads only.
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

    /** The nick candidates in order, e.g. {@code sigbridge}, {@code sigbridge-2}. */
    static String candidate(String nick, int attempt) {
        return attempt == 1 ? nick : nick + "-" + attempt;
    }

    /**
     * Joins; each candidate nick is added to {@code ownNicks} before its join presence is sent, so the
     * room's echo of our own presence is recognised, and removed again if the room refused it.
     *
     * @return the nick we got
     */
    static String join(MultiUserChat muc, String nick, Set<String> ownNicks, Duration timeout)
            throws XMPPException.XMPPErrorException, SmackException.NoResponseException, SmackException.NotConnectedException,
            InterruptedException, MultiUserChatException.NotAMucServiceException, MultiUserChatException.MucAlreadyJoinedException,
            NickUnavailable, XmppStringprepException {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            String candidate = candidate(nick, attempt);
            ownNicks.add(candidate);
            try {
                MucEnterConfiguration config = muc.getEnterConfigurationBuilder(Resourcepart.from(candidate))
                        .requestMaxStanzasHistory(0)
                        .timeoutAfter(timeout.toMillis())
                        .build();
                MultiUserChat.MucCreateConfigFormHandle created = muc.createOrJoin(config);
                if (created != null) {
                    created.makeInstant();
                }
                return candidate;
            } catch (XMPPException.XMPPErrorException e) {
                ownNicks.remove(candidate);
                if (e.getStanzaError().getCondition() != StanzaError.Condition.conflict) {
                    throw e;
                }
            } catch (RuntimeException | SmackException.NoResponseException | SmackException.NotConnectedException
                     | InterruptedException | MultiUserChatException.NotAMucServiceException
                     | MultiUserChatException.MucAlreadyJoinedException e) {
                ownNicks.remove(candidate);
                throw e;
            }
        }
        throw new NickUnavailable(nick);
    }

    /** Leaves a room we may no longer be in: any answer will do. Blocking: request threads only. */
    static void leaveQuietly(MultiUserChat muc) {
        try {
            muc.leave();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) { // not joined, no answer, not connected: all mean "not in the room" now
            org.slf4j.LoggerFactory.getLogger(MucJoin.class).debug("leaving {}: {}", muc.getRoom(), e.toString());
        }
    }
}
