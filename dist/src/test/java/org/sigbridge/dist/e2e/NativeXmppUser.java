package org.sigbridge.dist.e2e;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.sigbridge.testkit.peers.ProsodyServer;

/**
 * A person with an ordinary XMPP client (Smack, plain text to the loopback test server) sitting in one MUC
 * room: it says plain bodies, and records the groupchat messages and occupant presences it sees. Knows
 * nothing of sigbridge's {@code signal} element. {@link #close()} disconnects.
 */
final class NativeXmppUser implements AutoCloseable {

    private final XMPPTCPConnection connection;
    private final MultiUserChat room;
    private final LinkedBlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Presence> presences = new LinkedBlockingQueue<>();

    private NativeXmppUser(XMPPTCPConnection connection, MultiUserChat room) {
        this.connection = connection;
        this.room = room;
    }

    /** Logs in as {@code user} (password {@value ProsodyServer#PASSWORD}) and joins {@code roomLocalpart} without history. */
    static NativeXmppUser join(ProsodyServer server, String user, String roomLocalpart, String nick) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(server.domain())
                .setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(server.port())
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(user, ProsodyServer.PASSWORD)
                .setResource("native-" + nick)
                .build());
        c.setReplyTimeout(5000);
        c.connect().login();
        MultiUserChat muc = MultiUserChatManager.getInstanceFor(c)
                .getMultiUserChat(JidCreate.entityBareFrom(roomLocalpart + "@" + server.mucService()));
        NativeXmppUser native_ = new NativeXmppUser(c, muc);
        muc.addMessageListener(m -> {
            if (m.getBody() != null) {
                native_.messages.add(m);
            }
        });
        muc.addParticipantListener(native_.presences::add);
        muc.join(muc.getEnterConfigurationBuilder(Resourcepart.from(nick)).requestMaxStanzasHistory(0).build());
        return native_;
    }

    /** Says {@code body} in the room as a plain groupchat message. */
    void say(String body) throws Exception {
        room.sendMessage(body);
    }

    /** The next groupchat message from another occupant; fails after {@code timeout}. */
    Message next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Message m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError(room.getNickname() + " got no groupchat message within " + timeout);
            }
            if (!room.getNickname().equals(m.getFrom().getResourceOrNull())) {
                return m;
            }
        }
    }

    /** Messages from others received and not taken yet, without waiting. */
    List<Message> drain() {
        List<Message> all = new ArrayList<>();
        messages.drainTo(all);
        all.removeIf(m -> room.getNickname().equals(m.getFrom().getResourceOrNull()));
        return all;
    }

    /** The nicks of everyone in the room now (as the room told this client). */
    Set<String> occupantNicks() {
        return room.getOccupants().stream().map(EntityFullJid::getResourceOrThrow).map(Resourcepart::toString)
                .collect(Collectors.toSet());
    }

    /** Waits until an occupant with {@code nick} is in the room; fails after {@code timeout}. */
    void awaitOccupant(String nick, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!occupantNicks().contains(nick)) {
            Presence p = presences.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (p == null && !occupantNicks().contains(nick)) {
                throw new AssertionError("no occupant '" + nick + "' within " + timeout + "; occupants: " + occupantNicks());
            }
        }
    }

    /** Waits until no occupant with {@code nick} is left in the room; fails after {@code timeout}. */
    void awaitGone(String nick, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (occupantNicks().contains(nick)) {
            Presence p = presences.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (p == null && occupantNicks().contains(nick)) {
                throw new AssertionError("occupant '" + nick + "' still there after " + timeout);
            }
        }
    }

    String nick() {
        return room.getNickname().toString();
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
