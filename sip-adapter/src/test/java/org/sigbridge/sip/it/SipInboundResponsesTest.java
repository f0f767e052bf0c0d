package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testing.RecordingEndpoint;

/**
 * Every response code of docs/design.md §5.5, each provoked by a real request from a second JAIN-SIP stack sent
 * straight to the bridge's listening point.
 */
class SipInboundResponsesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** One client stack for the class (each JAIN-SIP stack's stop takes a second); each test gets a new bridge. */
    private static RawSipClient client;

    private int port;
    private BridgeUnderTest bridge;

    static String config(int maxPerSecond) {
        return """
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    max-body-bytes: 2000
                    max-inbound-per-second: %d
                routes:
                  - match: "local-*"
                    to: local
                  - match: "*"
                    to: sip
                    target: none
                """.formatted(maxPerSecond);
    }

    @BeforeAll
    static void startClient() throws Exception {
        client = new RawSipClient();
    }

    @AfterAll
    static void stopClient() {
        client.close();
    }

    @BeforeEach
    void start() throws Exception {
        client.forget();
        port = FreePorts.tcpAndUdp();
        bridge = BridgeUnderTest.start(config(1000), Map.of("PORT", Integer.toString(port)));
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    private String uri(String channelUser) {
        return "sip:" + channelUser + "@127.0.0.1:" + port;
    }

    private Response send(Request r) throws Exception {
        return client.send(r, WAIT);
    }

    @Test
    void answers200AndPublishesTheMessageToTheBrowsersOfItsChannel() throws Exception {
        RecordingEndpoint browser = bridge.browser("b1", "room1");
        Response r = send(client.message(uri("room1"), "application/json", "{\"type\":\"offer\",\"sdp\":\"v=0\"}", "udp"));
        assertEquals(200, r.getStatusCode());
        Envelope e = browser.envelopes().next(WAIT);
        assertEquals("room1", e.channel());
        assertEquals("\"Tess Ter\"", e.sender().json());
        assertEquals("{\"type\":\"offer\",\"sdp\":\"v=0\"}", e.message().json());
        assertTrue(r.getHeader("To").toString().contains("tag="), "a final response carries a To tag (RFC 3261 §8.2.6.2)");
    }

    @Test
    void answers202WhenTheChannelOnlyQueuesTheEnvelope() throws Exception {
        Endpoint queueing = new Endpoint() {
            @Override
            public String id() {
                return "queueing";
            }

            @Override
            public String adapter() {
                return "web";
            }

            @Override
            public DeliveryResult deliver(Envelope envelope) {
                return DeliveryResult.QUEUED;
            }
        };
        bridge.hub().subscribe(queueing, "room2");
        assertEquals(202, send(client.message(uri("room2"), "text/plain", "hi", "udp")).getStatusCode());
    }

    @Test
    void answers480WhenEveryParticipantRefusesTheEnvelope() throws Exception {
        RecordingEndpoint full = new RecordingEndpoint("full", "web", 0);
        bridge.hub().subscribe(full, "room3");
        assertEquals(480, send(client.message(uri("room3"), "text/plain", "hi", "udp")).getStatusCode());
    }

    @Test
    void answers400ForABodyThatIsNotJson() throws Exception {
        bridge.browser("b1", "room1");
        assertEquals(400, send(client.message(uri("room1"), "application/json", "{\"type\":", "udp")).getStatusCode());
    }

    @Test
    void answers403ForAChannelTheRoutesKeepLocal() throws Exception {
        bridge.browser("b1", "local-room");
        assertEquals(403, send(client.message(uri("local-room"), "text/plain", "hi", "udp")).getStatusCode());
    }

    @Test
    void answers404ForAChannelNobodyIsOn() throws Exception {
        assertEquals(404, send(client.message(uri("unknown-channel"), "text/plain", "hi", "udp")).getStatusCode());
    }

    @Test
    void answers405WithAllowForMethodsOtherThanMessage() throws Exception {
        Response r = send(client.request(Request.INFO, uri("room1"), "udp"));
        assertEquals(405, r.getStatusCode());
        assertEquals("MESSAGE, OPTIONS", header(r, "Allow"));
    }

    @Test
    void answersOptionsWith200AllowAndAccept() throws Exception {
        Response r = send(client.request(Request.OPTIONS, uri("room1"), "udp"));
        assertEquals(200, r.getStatusCode());
        assertEquals("MESSAGE, OPTIONS", header(r, "Allow"));
        assertEquals("application/json, text/plain, application/conference-info+xml", header(r, "Accept"));
    }

    @Test
    void answers413ForABodyAboveTheLimit() throws Exception {
        bridge.browser("b1", "room1");
        assertEquals(413, send(client.message(uri("room1"), "text/plain", "x".repeat(3000), "tcp")).getStatusCode());
    }

    @Test
    void answers415WithAcceptForAnUnsupportedContentType() throws Exception {
        bridge.browser("b1", "room1");
        Response r = send(client.message(uri("room1"), "application/sdp", "v=0", "udp"));
        assertEquals(415, r.getStatusCode());
        assertEquals("application/json, text/plain, application/conference-info+xml", header(r, "Accept"));
        assertEquals(415, send(client.message(uri("room1"), null, "no type", "udp")).getStatusCode());
    }

    @Test
    void answersARetransmissionAgainButDeliversItOnce() throws Exception {
        RecordingEndpoint browser = bridge.browser("b1", "room1");
        Request once = client.message(uri("room1"), "text/plain", "once", "udp");
        client.sendStateless(once);
        assertEquals(200, client.awaitFinal(WAIT).getStatusCode());
        client.sendStateless(once); // as if our 200 had been lost: the same request again
        assertEquals(200, client.awaitFinal(WAIT).getStatusCode());
        assertEquals("\"once\"", browser.envelopes().next(WAIT).message().json());
        browser.envelopes().expectNothing(Duration.ofMillis(500));
    }

    @Test
    void answersARetransmissionOverTcpFromMemoryAfterItsTransactionEnded() throws Exception {
        // Over TCP the server transaction ends with its final response (RFC 3261 §17.2.2, Timer J = 0).
        RecordingEndpoint browser = bridge.browser("b1", "room1");
        Request once = client.message(uri("room1"), "application/json", "{\"n\":1}", "tcp");
        client.sendStateless(once);
        assertEquals(200, client.awaitFinal(WAIT).getStatusCode());
        client.sendStateless(once);
        assertEquals(200, client.awaitFinal(WAIT).getStatusCode());
        assertEquals("{\"n\":1}", browser.envelopes().next(WAIT).message().json());
        browser.envelopes().expectNothing(Duration.ofMillis(500));
        assertEquals(1, bridge.sip().stats().delivered().sum());
    }

    @Test
    void answersAMessageOverTcpExactlyOnceAndDeliversItOnce() throws Exception {
        // Over TCP the bridge answers without a server transaction (RFC 3261 §8.2.7): still one final response.
        RecordingEndpoint browser = bridge.browser("b1", "room1");
        Response r = send(client.message(uri("room1"), "application/json", "{\"n\":\"tcp\"}", "tcp"));
        assertEquals(200, r.getStatusCode());
        assertTrue(r.getHeader("To").toString().contains("tag="), "a final response carries a To tag (RFC 3261 §8.2.6.2)");
        client.expectNoMoreResponses(Duration.ofMillis(500));
        assertEquals("{\"n\":\"tcp\"}", browser.envelopes().next(WAIT).message().json());
        browser.envelopes().expectNothing(Duration.ofMillis(300));
        assertEquals(1, bridge.sip().stats().delivered().sum());
    }

    @Test
    void answersEveryRepeatOfAMessageOverTcpOnceButDeliversItOnce() throws Exception {
        // A client repeating the same request (same Call-ID, CSeq, From tag) on one connection: each copy is
        // answered once, with the status of the first, and only the first is published.
        RecordingEndpoint browser = bridge.browser("b1", "room1");
        Request same = client.message(uri("room1"), "text/plain", "twice", "tcp");
        for (int i = 0; i < 3; i++) {
            client.sendStateless(same);
            assertEquals(200, client.awaitFinal(WAIT).getStatusCode());
            client.expectNoMoreResponses(Duration.ofMillis(200));
        }
        assertEquals("\"twice\"", browser.envelopes().next(WAIT).message().json());
        browser.envelopes().expectNothing(Duration.ofMillis(300));
        assertEquals(1, bridge.sip().stats().delivered().sum());
        assertEquals(2, bridge.sip().stats().duplicates().sum());
    }

    @Test
    void answersRefusalsOverTcpToo() throws Exception {
        // The stateless answer carries every status and header of the table, not only 200.
        assertEquals(404, send(client.message(uri("unknown-channel"), "text/plain", "hi", "tcp")).getStatusCode());
        Response r = send(client.request(Request.INFO, uri("room1"), "tcp"));
        assertEquals(405, r.getStatusCode());
        assertEquals("MESSAGE, OPTIONS", header(r, "Allow"));
        client.expectNoMoreResponses(Duration.ofMillis(300));
    }

    @Test
    void reportsTheSendingUserAgentAsAParticipantOfTheChannel() throws Exception {
        RecordingEndpoint browser = bridge.browser("b1", "room1");
        send(client.message(uri("room1"), "text/plain", "hi", "udp"));
        PresenceEvent joined = browser.presence().next(WAIT);
        assertEquals(PresenceEvent.Kind.JOINED, joined.kind());
        assertTrue(joined.participant().id().startsWith("sip:tester@127.0.0.1:"), joined.participant().id());
        assertEquals("Tess Ter", joined.participant().name());
    }

    @Test
    void leavesNoThreadOfItsOwnBehindAfterClose() throws Exception {
        Set<Thread> before = liveNonDaemon();
        BridgeUnderTest other = BridgeUnderTest.start(config(1000), Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp())));
        other.close();
        Set<Thread> after = liveNonDaemon();
        after.removeAll(before);
        for (Thread t : after) {
            t.join(2000); // JAIN-SIP's threads end shortly after stop(); a bounded wait, not a sleep
        }
        assertEquals(Set.of(), liveNonDaemon().stream().filter(after::contains).map(Thread::getName).collect(Collectors.toSet()));
    }

    private static Set<Thread> liveNonDaemon() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    /** Every value of a header, however JAIN-SIP split it over lines, joined with ", ". */
    static String header(Response r, String name) {
        java.util.List<String> values = new java.util.ArrayList<>();
        java.util.ListIterator<?> all = r.getHeaders(name);
        all.forEachRemaining(h -> {
            String text = h.toString();
            for (String v : text.substring(text.indexOf(':') + 1).split(",")) {
                values.add(v.trim());
            }
        });
        return String.join(", ", values);
    }
}
