package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeJson;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.sip.ReceivedSipMessage;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;

/**
 * Browsers on the bridge's hub and SIP user agents registered at a real Kamailio exchange signaling both
 * ways. The bridge registers {@code bridge@localhost} and each open channel's AOR, so a UA reaches channel
 * {@code room1} as {@code sip:room1@localhost}.
 */
class SipThroughKamailioTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    private BridgeUnderTest bridge;
    private SipUserAgent alice;

    @BeforeEach
    void start() throws Exception {
        String yaml = """
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    proxy: 127.0.0.1:${KPORT}
                    username: bridge
                    register-expires: 60s
                    keepalive-interval: 300ms
                    request-timeout: 2s
                routes:
                  - match: "text-*"
                    to: sip
                    target: sip:alice@localhost
                    options: {content: text}
                  - match: "nobody-*"
                    to: sip
                    target: sip:nobody@localhost
                  - match: "static-*"
                    to: sip
                    target: none
                    options: {members: "sip:alice@localhost, sip:bob@localhost"}
                  - match: "silent-*"
                    to: sip
                    target: sip:carol@localhost
                  - match: "*"
                    to: sip
                    target: sip:alice@localhost
                """;
        bridge = BridgeUnderTest.start(yaml, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "KPORT", Integer.toString(kamailio.server().port())));
        bridge.awaitLeg(LegState.Status.READY, WAIT);
        alice = SipUserAgent.start("alice", kamailio.server().port());
    }

    @AfterEach
    void stop() {
        if (alice != null) {
            alice.close();
        }
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void describesItsListeningPointDomainAndRegistration() {
        String line = bridge.sip().describe().get(0);
        assertTrue(line.matches("sip: listening on udp\\+tcp 127\\.0\\.0\\.1:\\d+, domain localhost, registered as bridge@localhost via 127\\.0\\.0\\.1:"
                + kamailio.server().port()), line);
    }

    @Test
    void deliversABrowserEnvelopeToARegisteredUaAsAJsonMessage() throws Exception {
        assertEquals(200, alice.register(SipTransport.UDP, WAIT));
        RecordingEndpoint browser = bridge.registeredBrowser("room1", WAIT);
        Envelope sent = bridge.publish(browser, "room1", "{\"type\":\"offer\",\"sdp\":\"v=0\"}");
        ReceivedSipMessage got = alice.awaitMessage(WAIT);
        assertEquals("application/json", got.contentType());
        assertEquals(EnvelopeJson.write(sent), got.body());
        assertEquals("sip:browser-1@localhost", got.fromUri());
        assertTrue(got.header("From").startsWith("\"browser-1\""), got.header("From"));
    }

    @Test
    void keepsOneCallIdPerMemberWithIncreasingCseq() throws Exception {
        assertEquals(200, alice.register(SipTransport.UDP, WAIT));
        RecordingEndpoint browser = bridge.registeredBrowser("room1", WAIT);
        bridge.publish(browser, "room1", "1");
        bridge.publish(browser, "room1", "2");
        ReceivedSipMessage first = alice.awaitMessage(WAIT);
        ReceivedSipMessage second = alice.awaitMessage(WAIT);
        assertEquals(first.callId(), second.callId());
        long c1 = Long.parseLong(first.header("CSeq").split(" ")[0]);
        long c2 = Long.parseLong(second.header("CSeq").split(" ")[0]);
        assertTrue(c2 > c1, c1 + " then " + c2);
        assertTrue(first.body().endsWith("\"message\":1}") && second.body().endsWith("\"message\":2}"), "in order");
    }

    @Test
    void publishesAUaMessageToTheChannelAndSendsTheBrowsersReplyBack() throws Exception {
        assertEquals(200, alice.register(SipTransport.UDP, WAIT));
        RecordingEndpoint browser = bridge.registeredBrowser("room1", WAIT);
        assertEquals(200, alice.sendMessage("room1", "application/json", "{\"type\":\"answer\"}", SipTransport.UDP, WAIT));
        Envelope in = browser.envelopes().next(WAIT);
        assertEquals("\"alice\"", in.sender().json());
        assertEquals("{\"type\":\"answer\"}", in.message().json());
        Envelope reply = bridge.publish(browser, "room1", "{\"candidate\":\"c1\"}");
        ReceivedSipMessage got = alice.awaitMessage(WAIT);
        assertEquals(EnvelopeJson.write(reply), got.body());
        alice.received().clear();
    }

    /**
     * Alice is the route's target ({@code sip:alice@localhost}, her AOR) and, once she writes from her contact, a dynamic
     * member too: she is one user agent (her From AOR is the target, RFC 3261 §19.1.4), so each envelope reaches her
     * once, through the registrar, not a second time at her contact.
     */
    @Test
    void aUaThatIsTheTargetAndAWriterGetsEachEnvelopeOnce() throws Exception {
        assertEquals(200, alice.register(SipTransport.UDP, WAIT));
        RecordingEndpoint browser = bridge.registeredBrowser("room1", WAIT);
        assertEquals(200, alice.sendMessageWithContact("room1", "application/json", "{\"type\":\"answer\"}", SipTransport.UDP, WAIT));
        browser.envelopes().next(WAIT); // she is a member now
        assertEquals(java.util.List.of("sip:alice@localhost"), bridge.sip().recipients("room1"));

        long finishedBefore = bridge.sip().stats().messagesSent().sum() + bridge.sip().stats().sendFailures().sum();
        Envelope first = bridge.publish(browser, "room1", "{\"candidate\":\"c1\"}");
        Envelope second = bridge.publish(browser, "room1", "{\"candidate\":\"c2\"}");
        assertEquals(EnvelopeJson.write(first), alice.awaitMessage(WAIT).body());
        assertEquals(EnvelopeJson.write(second), alice.awaitMessage(WAIT).body());
        // every MESSAGE the bridge sent has been answered (her 200 comes after she got it): nothing else is on its way
        org.sigbridge.testkit.Poll.until("the bridge's MESSAGEs answered", WAIT, Duration.ofMillis(20),
                () -> bridge.sip().stats().messagesSent().sum() + bridge.sip().stats().sendFailures().sum() - finishedBefore,
                n -> n >= 2);
        assertEquals(2, bridge.sip().stats().messagesSent().sum() + bridge.sip().stats().sendFailures().sum() - finishedBefore);
        assertEquals(java.util.List.of(), java.util.List.copyOf(alice.received()), "a second copy");
    }

    @Test
    void carriesASixKibOfferOverTcpBothWays() throws Exception {
        assertEquals(200, alice.register(SipTransport.TCP, WAIT));
        RecordingEndpoint browser = bridge.registeredBrowser("room1", WAIT);
        String sdp = "v=0\\r\\n" + "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\\r\\n".repeat(110);
        assertTrue(sdp.length() > 6 * 1024);
        Envelope offer = bridge.publish(browser, "room1", "{\"type\":\"offer\",\"sdp\":\"" + sdp + "\"}");
        ReceivedSipMessage got = alice.awaitMessage(WAIT);
        assertEquals(EnvelopeJson.write(offer), got.body());
        assertEquals("TCP", got.transport().toUpperCase(java.util.Locale.ROOT));
        assertEquals(1, bridge.sip().stats().sentOverTcp().sum());

        String answer = "{\"type\":\"answer\",\"sdp\":\"" + sdp + "\"}";
        assertEquals(200, alice.sendMessage("room1", "application/json", answer, SipTransport.TCP, WAIT));
        assertEquals(answer, browser.envelopes().next(WAIT).message().json());
    }

    @Test
    void interoperatesWithAPlainUaOnATextRoute() throws Exception {
        assertEquals(200, alice.register(SipTransport.UDP, WAIT));
        RecordingEndpoint browser = bridge.registeredBrowser("text-room", WAIT);
        bridge.publish(browser, "text-room", "\"hello phone\"");
        ReceivedSipMessage got = alice.awaitMessage(WAIT);
        assertEquals("text/plain", got.contentType());
        assertEquals("hello phone", got.body());
        assertEquals(200, alice.sendMessage("text-room", "hello browser", SipTransport.UDP, WAIT));
        assertEquals("\"hello browser\"", browser.envelopes().next(WAIT).message().json());
    }

    @Test
    void sendsOneMessageToEachStaticMember() throws Exception {
        try (SipUserAgent bob = SipUserAgent.start("bob", kamailio.server().port())) {
            assertEquals(200, alice.register(SipTransport.UDP, WAIT));
            assertEquals(200, bob.register(SipTransport.TCP, WAIT));
            RecordingEndpoint browser = bridge.registeredBrowser("static-room", WAIT);
            Envelope sent = bridge.publish(browser, "static-room", "{\"to\":\"everyone\"}");
            assertEquals(EnvelopeJson.write(sent), alice.awaitMessage(WAIT).body());
            assertEquals(EnvelopeJson.write(sent), bob.awaitMessage(WAIT).body());
            alice.received().clear();
            browser.failures().expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    void reportsAUasRejectionToTheSenderWithItsStatus() throws Exception {
        assertEquals(200, alice.register(SipTransport.UDP, WAIT));
        alice.answerMessagesWith(486); // not 503: a proxy turns that into 500 (RFC 3261 §16.7)
        RecordingEndpoint browser = bridge.registeredBrowser("room1", WAIT);
        Envelope sent = bridge.publish(browser, "room1", "\"busy?\"");
        DeliveryFailure failure = browser.failures().next(WAIT);
        assertEquals(sent.id(), failure.envelopeId());
        assertEquals(ErrorCode.UPSTREAM_REJECTED, failure.code());
        assertTrue(failure.detail().startsWith("SIP 486") && failure.detail().contains("sip:alice@localhost"), failure.detail());
        alice.received().clear();
    }

    @Test
    void reportsA404FromTheProxyToTheSenderByEnvelopeId() throws Exception {
        RecordingEndpoint browser = bridge.registeredBrowser("nobody-room", WAIT);
        Envelope sent = bridge.publish(browser, "nobody-room", "\"anyone?\"");
        DeliveryFailure failure = browser.failures().next(WAIT);
        assertEquals(sent.id(), failure.envelopeId());
        assertEquals(ErrorCode.UPSTREAM_REJECTED, failure.code());
        assertTrue(failure.detail().contains("404") && failure.detail().contains("sip:nobody@localhost"), failure.detail());
    }

    @Test
    void reportsATimeoutToTheSenderByEnvelopeId() throws Exception {
        SipUserAgent carol = SipUserAgent.start("carol", kamailio.server().port());
        assertEquals(200, carol.register(SipTransport.UDP, WAIT));
        carol.close(); // registered but gone: nobody answers
        RecordingEndpoint browser = bridge.registeredBrowser("silent-room", WAIT);
        Envelope sent = bridge.publish(browser, "silent-room", "\"hello?\"");
        DeliveryFailure failure = browser.failures().next(WAIT);
        assertEquals(sent.id(), failure.envelopeId());
        assertEquals(ErrorCode.UPSTREAM_TIMEOUT, failure.code());
        assertTrue(failure.detail().contains("408"), failure.detail());
    }

    @Test
    void registersAgainAndCarriesTrafficAfterKamailioRestarts() throws Exception {
        RecordingEndpoint browser = bridge.registeredBrowser("room1", WAIT);
        assertEquals(200, alice.register(SipTransport.UDP, WAIT));
        String big = "\"" + "x".repeat(2000) + "\"";
        bridge.publish(browser, "room1", big); // over TCP: the bridge now holds a connection to Kamailio
        assertTrue(alice.awaitMessage(WAIT).body().contains("xxxx"));
        kamailio.server().stop();
        bridge.awaitLeg(LegState.Status.DOWN, WAIT);
        kamailio.server().start();
        bridge.awaitLeg(LegState.Status.READY, WAIT);
        bridge.awaitChannelRegistered("room1", WAIT);

        assertEquals(200, alice.register(SipTransport.UDP, WAIT));
        assertEquals(200, alice.sendMessage("room1", "text/plain", "back again", SipTransport.UDP, WAIT));
        assertEquals("\"back again\"", browser.envelopes().next(WAIT).message().json());
        Envelope reply = bridge.publish(browser, "room1", "\"welcome back\"");
        assertEquals(EnvelopeJson.write(reply), alice.awaitMessage(WAIT).body());
        Envelope bigAgain = bridge.publish(browser, "room1", big); // TCP again, over a new connection
        assertEquals(EnvelopeJson.write(bigAgain), alice.awaitMessage(WAIT).body());
        // The first big envelope may be reported 408 if Kamailio died before relaying alice's 200: that is
        // the truth. Nothing sent after the restart may fail.
        java.util.Set<String> afterRestart = java.util.Set.of(reply.id(), bigAgain.id());
        assertEquals(java.util.List.of(), browser.failures().drain().stream().filter(f -> afterRestart.contains(f.envelopeId())).toList());
    }
}
