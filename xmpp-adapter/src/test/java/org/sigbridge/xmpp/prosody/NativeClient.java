package org.sigbridge.xmpp.prosody;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.sigbridge.testkit.peers.ProsodyServer;

/** A native XMPP user (Smack) sitting in one room, recording bodies and presences. */
final class NativeClient implements AutoCloseable {

    final XMPPTCPConnection connection;
    final MultiUserChat room;
    final LinkedBlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Presence> presences = new LinkedBlockingQueue<>();

    private NativeClient(XMPPTCPConnection connection, MultiUserChat room) {
        this.connection = connection;
        this.room = room;
    }

    static NativeClient join(ProsodyServer server, String user, String roomLocalpart, String nick) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(server.domain())
                .setHostAddress(InetAddress.getByName("127.0.0.1"))
                .setPort(server.port())
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(user, ProsodyServer.PASSWORD)
                .setResource("native-" + nick)
                .build());
        c.setReplyTimeout(5000);
        c.connect().login();
        MultiUserChat muc = MultiUserChatManager.getInstanceFor(c)
                .getMultiUserChat(JidCreate.entityBareFrom(roomLocalpart + "@" + server.mucService()));
        NativeClient client = new NativeClient(c, muc);
        muc.addMessageListener(m -> {
            if (m.getBody() != null || m.hasExtension("signal", "urn:sigbridge:signal:0")) {
                client.messages.add(m);
            }
        });
        muc.addParticipantListener(client.presences::add);
        muc.join(muc.getEnterConfigurationBuilder(Resourcepart.from(nick)).requestMaxStanzasHistory(0).build());
        return client;
    }

    /** The next message from someone else, or fails. */
    Message next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Message m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no groupchat message within " + timeout);
            }
            if (!room.getNickname().equals(m.getFrom().getResourceOrNull())) {
                return m;
            }
        }
    }

    void say(String body) throws Exception {
        room.sendMessage(body);
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
