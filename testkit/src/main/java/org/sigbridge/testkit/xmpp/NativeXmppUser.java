package org.sigbridge.testkit.xmpp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
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
import org.sigbridge.testkit.peers.XmppServer;

/**
 * A person with an ordinary XMPP client (Smack, plain text to the loopback test server) sitting in one MUC
 * room: it says plain bodies, and records the groupchat messages and occupant presences it sees.
 *
 * <p>It records every groupchat message with a {@code <body>} (what any client shows) and also sigbridge
 * messages sent with {@code body: omit}, recognised by their {@code signal} element
 * ({@value #SIGNAL_NAMESPACE}), so a test can tell that a bridge sent something a plain client would not
 * show. Smack's listener threads only enqueue; the test thread reads with bounded waits that fail with an
 * {@link AssertionError}. {@link #close()} disconnects; after it nothing new is recorded.
 */
public final class NativeXmppUser implements AutoCloseable {

    /** The namespace of sigbridge's {@code signal} extension element. */
    public static final String SIGNAL_NAMESPACE = "urn:sigbridge:signal:0";

    private final XMPPTCPConnection connection;
    private final MultiUserChat room;
    private final LinkedBlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Presence> presences = new LinkedBlockingQueue<>();

    private NativeXmppUser(XMPPTCPConnection connection, MultiUserChat room) {
        this.connection = connection;
        this.room = room;
    }

    /**
     * Logs in as {@code user} (password {@link XmppServer#password()}, resource {@code native-<nick>}) and
     * joins {@code roomLocalpart} on the server's MUC service as {@code nick}, without history. Blocks until
     * joined; every request is bounded by a 5 s reply timeout.
     */
    public static NativeXmppUser join(XmppServer server, String user, String roomLocalpart, String nick)
            throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(server.domain())
                .setHostAddress(InetAddress.getByName("127.0.0.1"))
                .setPort(server.port())
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(user, server.password())
                .setResource("native-" + nick)
                .build());
        c.setReplyTimeout(5000);
        c.connect().login();
        MultiUserChat muc = MultiUserChatManager.getInstanceFor(c)
                .getMultiUserChat(JidCreate.entityBareFrom(roomLocalpart + "@" + server.mucService()));
        NativeXmppUser user_ = new NativeXmppUser(c, muc);
        muc.addMessageListener(m -> {
            if (m.getBody() != null || m.hasExtension("signal", SIGNAL_NAMESPACE)) {
                user_.messages.add(m);
            }
        });
        muc.addParticipantListener(user_.presences::add);
        muc.join(muc.getEnterConfigurationBuilder(Resourcepart.from(nick)).requestMaxStanzasHistory(0).build());
        return user_;
    }

    /** Says {@code body} in the room as a plain groupchat message. */
    public void say(String body) throws Exception {
        room.sendMessage(body);
    }

    /** The next recorded groupchat message from another occupant; fails after {@code timeout}. */
    public Message next(Duration timeout) throws InterruptedException {
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
    public List<Message> drain() {
        List<Message> all = new ArrayList<>();
        messages.drainTo(all);
        all.removeIf(m -> room.getNickname().equals(m.getFrom().getResourceOrNull()));
        return all;
    }

    /** Every occupant presence the room sent this client, in order; the test may poll or clear it. */
    public BlockingQueue<Presence> presences() {
        return presences;
    }

    /** The nicks of everyone in the room now (as the room told this client). */
    public Set<String> occupantNicks() {
        return room.getOccupants().stream().map(EntityFullJid::getResourceOrThrow).map(Resourcepart::toString)
                .collect(Collectors.toSet());
    }

    /** Waits until an occupant with {@code nick} is in the room; fails after {@code timeout}. */
    public void awaitOccupant(String nick, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!occupantNicks().contains(nick)) {
            Presence p = presences.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (p == null && !occupantNicks().contains(nick)) {
                throw new AssertionError("no occupant '" + nick + "' within " + timeout + "; occupants: "
                        + occupantNicks());
            }
        }
    }

    /** Waits until no occupant with {@code nick} is left in the room; fails after {@code timeout}. */
    public void awaitGone(String nick, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (occupantNicks().contains(nick)) {
            Presence p = presences.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (p == null && occupantNicks().contains(nick)) {
                throw new AssertionError("occupant '" + nick + "' still there after " + timeout);
            }
        }
    }

    public String nick() {
        return room.getNickname().toString();
    }

    /** The room, for owner actions a test needs (kick, voice, configuration, membership). */
    public MultiUserChat room() {
        return room;
    }

    /**
     * Owner action: makes the room password-protected with {@code password} (XEP-0045 §10.2: the
     * {@code muc#roomconfig_roomsecret} field, and {@code muc#roomconfig_passwordprotectedroom} where the server's
     * form has it; Prosody's has only the secret). Blocks for the owner's configuration round trip.
     */
    public void protectRoom(String password) throws Exception {
        org.jivesoftware.smackx.xdata.form.FillableForm form = room.getConfigurationForm().getFillableForm();
        if (form.hasField("muc#roomconfig_passwordprotectedroom")) {
            form.setAnswer("muc#roomconfig_passwordprotectedroom", true);
        }
        form.setAnswer("muc#roomconfig_roomsecret", password);
        room.sendConfigurationForm(form);
    }

    /** The connection, for sending hand-built stanzas. */
    public XMPPTCPConnection connection() {
        return connection;
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
