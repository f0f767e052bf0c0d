package org.sigbridge.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

@Timeout(30)
class ProsodyServerTest {

    @Test
    void aliceAndBobExchangeAGroupchatMessageInAMucRoom() throws Exception {
        try (ProsodyServer server = ProsodyServer.builder().start()) {
            XMPPTCPConnection alice = XmppTestClients.plain(server, "alice");
            XMPPTCPConnection bob = XmppTestClients.plain(server, "bob");
            try {
                BlockingQueue<Message> bobInbox = new LinkedBlockingQueue<>();
                MultiUserChat aliceRoom = join(alice, "room1@" + server.mucService(), "alice", new LinkedBlockingQueue<>());
                join(bob, "room1@" + server.mucService(), "bob", bobInbox);

                aliceRoom.sendMessage("hello from alice");

                Message received = bobInbox.poll(5, TimeUnit.SECONDS);
                assertTrue(received != null, "bob got no groupchat message; prosody log:\n" + server.logTail());
                assertEquals("hello from alice", received.getBody());
                assertEquals("room1@conference.localhost/alice", received.getFrom().toString());
            } finally {
                alice.disconnect();
                bob.disconnect();
            }
        }
    }

    @Test
    void clientLogsInOverStartTlsTrustingTheGeneratedCertificate() throws Exception {
        try (ProsodyServer server = ProsodyServer.builder().start()) {
            XMPPTCPConnection alice = XmppTestClients.tls(server, "alice", server.trustManager());
            try {
                assertTrue(alice.isSecureConnection(), "connection is not TLS-secured");
                assertTrue(alice.isAuthenticated());
            } finally {
                alice.disconnect();
            }
        }
    }

    @Test
    void anonymousLoginOnTheAnonymousHostGetsAJidThere() throws Exception {
        try (ProsodyServer server = ProsodyServer.builder().start()) {
            XMPPTCPConnection anonymous = XmppTestClients.anonymous(server);
            try {
                assertTrue(anonymous.isAnonymous());
                assertEquals("anon.localhost", anonymous.getUser().getDomain().toString());
            } finally {
                anonymous.disconnect();
            }
        }
    }

    @Test
    void clientLogsInAgainAfterStopAndStartOnTheSamePort() throws Exception {
        try (ProsodyServer server = ProsodyServer.builder().start()) {
            int port = server.port();
            XMPPTCPConnection before = XmppTestClients.plain(server, "alice");
            CountDownLatch dropped = new CountDownLatch(1);
            before.addConnectionListener(new ConnectionListener() {
                @Override
                public void connectionClosedOnError(Exception e) {
                    dropped.countDown();
                }
            });

            server.stop();
            assertFalse(server.isRunning());
            assertTrue(dropped.await(5, TimeUnit.SECONDS), "client did not notice the outage");
            server.start();

            XMPPTCPConnection after = XmppTestClients.plain(server, "alice");
            try {
                assertEquals(port, server.port());
                assertTrue(after.isAuthenticated());
            } finally {
                after.disconnect();
            }
        }
    }

    @Test
    void extraAndLaterRegisteredUsersCanLogIn() throws Exception {
        try (ProsodyServer server = ProsodyServer.builder().users("carol").start()) {
            server.registerUser("dave", ProsodyServer.PASSWORD);

            for (String user : new String[] {"carol", "dave"}) {
                XMPPTCPConnection connection = XmppTestClients.plain(server, user);
                try {
                    assertEquals(user + "@localhost", connection.getUser().asBareJid().toString());
                } finally {
                    connection.disconnect();
                }
            }
        }
    }

    @Test
    void stanzaOverTheConfiguredSizeLimitClosesTheClientStream() throws Exception {
        try (ProsodyServer server = ProsodyServer.builder().stanzaSizeLimitBytes(8 * 1024).start()) {
            XMPPTCPConnection alice = XmppTestClients.plain(server, "alice");
            BlockingQueue<Exception> closedOnError = new LinkedBlockingQueue<>();
            alice.addConnectionListener(new ConnectionListener() {
                @Override
                public void connectionClosedOnError(Exception e) {
                    closedOnError.add(e);
                }
            });

            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.entityBareFrom("bob@localhost")).setBody("x".repeat(16 * 1024)).build());

            Exception error = closedOnError.poll(5, TimeUnit.SECONDS);
            assertTrue(error instanceof XMPPException.StreamErrorException,
                    "expected a stream error for a 16 KiB stanza, got " + error + "; prosody log:\n" + server.logTail());
            assertEquals(StreamError.Condition.policy_violation,
                    ((XMPPException.StreamErrorException) error).getStreamError().getCondition());
        }
    }

    private static MultiUserChat join(XMPPTCPConnection connection, String room, String nick,
            BlockingQueue<Message> inbox) throws Exception {
        MultiUserChat muc = MultiUserChatManager.getInstanceFor(connection).getMultiUserChat(JidCreate.entityBareFrom(room));
        muc.addMessageListener(message -> {
            // every occupant first gets an empty <subject/> without a body, and a sender gets its own reflection
            if (message.getBody() != null && !message.getFrom().getResourceOrEmpty().toString().equals(nick)) {
                inbox.add(message);
            }
        });
        muc.join(Resourcepart.from(nick));
        return muc;
    }
}
