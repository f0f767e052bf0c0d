package org.sigbridge.testkit.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sigbridge.jainsip.StackStop;
import org.sigbridge.testkit.junit.KamailioExtension;

@Timeout(30)
class SipUserAgentTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @RegisterExtension
    static final KamailioExtension KAMAILIO = new KamailioExtension();

    @ParameterizedTest(name = "alice registers over {0}, bob sends over {1}")
    @CsvSource({"UDP, UDP", "TCP, TCP", "TCP, UDP", "UDP, TCP"})
    void deliversAMessageThroughKamailioToARegisteredAgentAndReturnsIts200(SipTransport aliceTransport,
            SipTransport bobTransport) throws Exception {
        int proxy = KAMAILIO.server().port();
        try (SipUserAgent alice = SipUserAgent.start("alice", proxy);
                SipUserAgent bob = SipUserAgent.start("bob", proxy)) {
            assertEquals(200, alice.register(aliceTransport, TIMEOUT), KAMAILIO.server().logTail());

            int status = bob.sendMessage("alice", "application/json", "{\"hello\":\"alice\"}", bobTransport, TIMEOUT);

            assertEquals(200, status, KAMAILIO.server().logTail());
            ReceivedSipMessage message = alice.awaitMessage(TIMEOUT);
            assertEquals("sip:bob@localhost", message.fromUri());
            assertEquals("sip:alice@localhost", message.toUri());
            assertEquals("application/json", message.contentType());
            assertEquals("{\"hello\":\"alice\"}", message.body());
            assertEquals(aliceTransport.name(), message.transport());
            alice.unregister(aliceTransport, TIMEOUT);
        }
    }

    @Test
    void deliversA60KilobyteBodyOverTcp() throws Exception {
        int proxy = KAMAILIO.server().port();
        try (SipUserAgent alice = SipUserAgent.start("alice-big", proxy);
                SipUserAgent bob = SipUserAgent.start("bob-big", proxy)) {
            alice.register(SipTransport.TCP, TIMEOUT);
            String body = "x".repeat(60_000);

            assertEquals(200, bob.sendMessage("alice-big", body, SipTransport.TCP, TIMEOUT));
            assertEquals(body, alice.awaitMessage(TIMEOUT).body());
        }
    }

    @Test
    void answersMessagesWithTheConfiguredStatus() throws Exception {
        int proxy = KAMAILIO.server().port();
        try (SipUserAgent alice = SipUserAgent.start("alice-busy", proxy);
                SipUserAgent bob = SipUserAgent.start("bob-busy", proxy)) {
            alice.register(SipTransport.UDP, TIMEOUT);
            alice.answerMessagesWith(486);

            assertEquals(486, bob.sendMessage("alice-busy", "hi", SipTransport.UDP, TIMEOUT));
            assertEquals(486, alice.awaitMessage(TIMEOUT).answeredWith());
        }
    }

    @Test
    void getsA404ForAMessageToAnUnregisteredUser() {
        try (SipUserAgent bob = SipUserAgent.start("bob-alone", KAMAILIO.server().port())) {
            assertEquals(404, bob.sendMessage("nobody", "hi", SipTransport.UDP, TIMEOUT));
        }
    }

    @Test
    void closeEndsTheEventScannerThreadJainSipLeavesBehind() throws Exception {
        SipUserAgent agent = SipUserAgent.start("carol", KAMAILIO.server().port());
        Set<Thread> scanners = agent.ownScannerThreads();
        assertFalse(scanners.isEmpty(), "no EventScannerThread was found for the stack");
        assertTrue(scanners.stream().allMatch(Thread::isAlive));

        agent.close();

        for (Thread scanner : scanners) {
            scanner.join(TIMEOUT.toMillis());
            assertFalse(scanner.isAlive(), scanner.getName() + " still runs after close()");
        }
    }

    @Test
    void closeReleasesBothPortsBeforeItReturnsAndKeepsTheCallersInterruptStatus() throws Exception {
        for (int i = 0; i < 5; i++) { // JAIN-SIP's sockets are released by its own threads: bind right after, again and again
            SipUserAgent agent = SipUserAgent.start("dave-" + i, KAMAILIO.server().port());
            int port = agent.port();
            if (i == 4) {
                Thread.currentThread().interrupt();
            }

            agent.close();

            assertEquals(i == 4, Thread.interrupted(), "close() changed the caller's interrupt status");
            assertEquals(StackStop.Outcome.RELEASED, agent.stopOutcome(), "close() waited for JAIN-SIP's listening threads");
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
                 ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(true); // as JAIN-SIP's and the JDK's ServerSocket do
                tcp.bind(new InetSocketAddress("127.0.0.1", port));
            }
        }
    }
}
