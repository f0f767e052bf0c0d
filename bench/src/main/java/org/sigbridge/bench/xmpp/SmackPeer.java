package org.sigbridge.bench.xmpp;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.sigbridge.bench.load.DeliveryLedger;
import org.sigbridge.bench.load.Probe;
import org.sigbridge.testkit.peers.ProsodyServer;

/**
 * One native XMPP client of the direct baseline: a Smack connection in one MUC room that publishes probes
 * as groupchat bodies and books the probes of the other occupants. Its own reflected messages are ignored.
 * The message listener runs on Smack's thread; {@link #sendNext()} may be called from any thread.
 */
final class SmackPeer implements AutoCloseable {
    private final int index;
    private final int fanout;
    private final String filler;
    private final DeliveryLedger ledger;
    private final DeliveryLedger.Receiver receiver;
    private final AtomicLong nextSeq = new AtomicLong();
    private final AtomicLong receipts = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final StanzaShape shape;
    private XMPPTCPConnection connection;
    private MultiUserChat room;
    private String roomLocalpart = "";

    SmackPeer(int index, int fanout, String filler, DeliveryLedger ledger) {
        this(index, fanout, filler, ledger, StanzaShape.PLAIN);
    }

    /** @param shape the bridge stanza's elements this client adds to each body ({@link StanzaShape}) */
    SmackPeer(int index, int fanout, String filler, DeliveryLedger ledger, StanzaShape shape) {
        this.shape = shape;
        this.index = index;
        this.fanout = fanout;
        this.filler = filler;
        this.ledger = ledger;
        this.receiver = ledger.receiver();
    }

    /** Logs in as {@code user} and joins {@code roomLocalpart} without history; blocks (seconds at most). */
    void join(ProsodyServer prosody, String user, String roomLocalpart, IntConsumer onReceipt) throws Exception {
        connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(prosody.domain())
                .setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(prosody.port())
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(user, ProsodyServer.PASSWORD)
                .setResource("bench-" + index)
                .build());
        connection.setReplyTimeout(10_000);
        connection.connect().login();
        this.roomLocalpart = roomLocalpart;
        room = MultiUserChatManager.getInstanceFor(connection)
                .getMultiUserChat(JidCreate.entityBareFrom(roomLocalpart + "@" + prosody.mucService()));
        room.addMessageListener(message -> onMessage(message, onReceipt));
        room.join(room.getEnterConfigurationBuilder(Resourcepart.from("c" + index)).requestMaxStanzasHistory(0).build());
    }

    private void onMessage(Message message, IntConsumer onReceipt) {
        long now = System.nanoTime();
        String body = message.getBody();
        Probe probe = body == null ? Probe.NONE : Probe.parse(body);
        if (!probe.isProbe()) {
            receiver.onOther();
            return;
        }
        if (probe.client() == index) {
            return; // our own message reflected by the room (XEP-0045 §7.4)
        }
        receiver.onDelivery(probe, now);
        onReceipt.accept(probe.client());
    }

    void sendNext() {
        long seq = nextSeq.getAndIncrement();
        long now = System.nanoTime();
        boolean measured = ledger.onSent(now, fanout);
        try {
            String body = new Probe(index, seq, now, measured).body(filler);
            if (shape.plain()) {
                room.sendMessage(body);
            } else {
                String id = "c" + index + "-" + seq; // as a bridge's envelope ids: one per message, unique here
                MessageBuilder message = StanzaBuilder.buildMessage(id).ofType(Message.Type.groupchat).to(room.getRoom());
                shape.decorate(message, id, roomLocalpart, "c" + index);
                room.sendMessage(message.setBody(body));
            }
        } catch (org.jivesoftware.smack.SmackException.NotConnectedException e) {
            sendFailures.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendFailures.incrementAndGet();
        }
    }

    /** Closed loop: every {@code fanout} receipts complete one message and free one window slot. */
    boolean receiptFreesSlot() {
        return receipts.incrementAndGet() % fanout == 0;
    }

    long sendFailures() {
        return sendFailures.get();
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.disconnect();
        }
    }
}
