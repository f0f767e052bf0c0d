package org.sigbridge.xmpp.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.ProsodyServer;

/** How Prosody answers XEP-0410 self-pings, and how {@link SelfPing} reads the answers (§3.2). */
@Timeout(30)
class SelfPingTest {

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    private XMPPTCPConnection connection;

    @BeforeEach
    void connect() throws Exception {
        ProsodyServer server = PROSODY.server();
        connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(server.domain())
                .setHostAddress(InetAddress.getByName("127.0.0.1"))
                .setPort(server.port())
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword("alice", ProsodyServer.PASSWORD)
                .setResource("self-ping-test")
                .build());
        connection.setReplyTimeout(5000);
        connection.connect().login();
    }

    @AfterEach
    void disconnect() {
        connection.disconnect();
    }

    @Test
    void saysJoinedWhileOurOccupantSitsInTheRoomAndNotJoinedOnceItLeft() throws Exception {
        EntityBareJid room = JidCreate.entityBareFrom("ping-verdict@" + PROSODY.server().mucService());
        MultiUserChat muc = MultiUserChatManager.getInstanceFor(connection).getMultiUserChat(room);
        muc.join(muc.getEnterConfigurationBuilder(Resourcepart.from("pinger")).requestMaxStanzasHistory(0).build());

        assertEquals(SelfPing.Verdict.JOINED, SelfPing.ping(connection, room, "pinger", 5000));

        muc.leave();
        assertEquals(SelfPing.Verdict.NOT_JOINED, SelfPing.ping(connection, room, "pinger", 5000));
    }

    @Test
    void saysNotJoinedForARoomThatDoesNotExist() {
        EntityBareJid room = JidCreate.entityBareFromOrThrowUnchecked("no-such-room@" + PROSODY.server().mucService());
        assertEquals(SelfPing.Verdict.NOT_JOINED, SelfPing.ping(connection, room, "pinger", 5000));
    }
}
