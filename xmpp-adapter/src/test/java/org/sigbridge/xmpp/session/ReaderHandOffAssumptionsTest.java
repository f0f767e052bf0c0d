package org.sigbridge.xmpp.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.ProsodyServer;

/**
 * Pins what {@link ReaderHandOff} assumes of Smack (docs/library-assumptions.md#smack-reader-hand-off): a stanza
 * listener's filter is evaluated on the connection's reader thread, inside its parse loop, in stream order, once
 * per stanza. If a Smack upgrade moves filters to another thread or evaluates them twice, this fails, and the
 * hand-off must go back to a plain listener.
 */
@Timeout(60)
class ReaderHandOffAssumptionsTest {

    private static final String READER = "org.jivesoftware.smack.tcp.XMPPTCPConnection$PacketReader";
    private static final int MESSAGES = 50;

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    private XMPPTCPConnection alice;
    private XMPPTCPConnection bob;

    @BeforeEach
    void connect() throws Exception {
        alice = login("alice");
        bob = login("bob");
    }

    @AfterEach
    void disconnect() {
        bob.disconnect();
        alice.disconnect();
    }

    @Test
    void filterRunsOnTheReaderThreadInStreamOrderOncePerStanza() throws Exception {
        Map<Stanza, Integer> evaluations = new IdentityHashMap<>();
        LinkedBlockingQueue<Handed> handed = new LinkedBlockingQueue<>();
        StanzaFilter fromBob = stanza -> {
            synchronized (evaluations) {
                evaluations.merge(stanza, 1, Integer::sum);
            }
            return stanza instanceof Message m && m.getBody() != null && bob.getUser().equals(m.getFrom());
        };
        ReaderHandOff.register(alice, fromBob, stanza -> handed.add(new Handed((Message) stanza, Thread.currentThread(),
                Arrays.stream(Thread.currentThread().getStackTrace()).anyMatch(f -> f.getClassName().equals(READER)))));

        for (int i = 0; i < MESSAGES; i++) {
            bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(alice.getUser()).ofType(Message.Type.chat)
                    .setBody(Integer.toString(i)).build());
        }

        List<Handed> got = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            Handed h = handed.poll(10, TimeUnit.SECONDS);
            assertNotNull(h, "stanza " + i + " was not handed off");
            got.add(h);
        }
        Thread reader = got.get(0).thread();
        for (int i = 0; i < MESSAGES; i++) {
            Handed h = got.get(i);
            assertEquals(Integer.toString(i), h.message().getBody(), "stream order");
            assertTrue(h.inParseLoop(), "the filter ran outside Smack's reader parse loop, on " + h.thread().getName());
            assertEquals(reader, h.thread(), "every stanza is handed off on the same reader thread");
            synchronized (evaluations) {
                assertEquals(1, evaluations.get(h.message()), "the filter is evaluated once per stanza");
            }
        }
        // A stanza after them all: nothing was handed off twice while we looked.
        bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(alice.getUser()).ofType(Message.Type.chat)
                .setBody("end").build());
        Handed end = handed.poll(10, TimeUnit.SECONDS);
        assertNotNull(end, "the closing stanza was not handed off");
        assertEquals("end", end.message().getBody(), "no stanza was handed off twice");
        synchronized (evaluations) {
            assertTrue(evaluations.values().stream().allMatch(n -> n == 1), "every stanza evaluated once: " + evaluations.values());
        }
    }

    private record Handed(Message message, Thread thread, boolean inParseLoop) {
    }

    private static XMPPTCPConnection login(String user) throws Exception {
        ProsodyServer server = PROSODY.server();
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(server.domain())
                .setHostAddress(InetAddress.getByName("127.0.0.1"))
                .setPort(server.port())
                .setSecurityMode(SecurityMode.disabled)
                .setUsernameAndPassword(user, ProsodyServer.PASSWORD)
                .setResource("hand-off-test")
                .build());
        c.setReplyTimeout(5000);
        c.connect().login();
        return c;
    }
}
