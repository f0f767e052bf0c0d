package org.sigbridge.xmpp.room;

import java.util.function.Consumer;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0410 MUC self-ping: an XEP-0199 ping to our own occupant JID. The room answers for us only while we
 * are an occupant: a result, or {@code service-unavailable} / {@code feature-not-implemented} (the ping
 * reached our client, which just does not answer it), mean joined; {@code not-acceptable} or
 * {@code item-not-found} mean we are not (XEP-0410 §3.2). Anything else, including a timeout, proves
 * nothing. The request runs on a request thread; the verdict goes to the callback there.
 */
final class SelfPing {

    private static final Logger log = LoggerFactory.getLogger(SelfPing.class);

    enum Verdict { JOINED, NOT_JOINED, UNKNOWN }

    private SelfPing() {
    }

    static void start(RoomServices s, XMPPTCPConnection conn, EntityBareJid room, String nick, Consumer<Verdict> verdict) {
        if (conn == null || nick == null) {
            return;
        }
        s.onRequests(() -> verdict.accept(ping(conn, room, nick, s.settings().requestTimeout().toMillis())));
    }

    static Verdict ping(XMPPTCPConnection conn, EntityBareJid room, String nick, long timeoutMs) {
        try {
            Ping ping = new Ping(JidCreate.entityFullFrom(room, Resourcepart.from(nick)));
            conn.createStanzaCollectorAndSend(ping).nextResultOrThrow(timeoutMs);
            return Verdict.JOINED;
        } catch (XMPPException.XMPPErrorException e) {
            StanzaError.Condition c = e.getStanzaError().getCondition();
            return switch (c) {
                case service_unavailable, feature_not_implemented -> Verdict.JOINED;
                case not_acceptable, item_not_found -> Verdict.NOT_JOINED;
                default -> Verdict.UNKNOWN;
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verdict.UNKNOWN;
        } catch (SmackException | org.jxmpp.stringprep.XmppStringprepException e) {
            log.debug("self-ping of {}/{}: {}", room, nick, e.toString());
            return Verdict.UNKNOWN;
        }
    }
}
