package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.sip.mapping.ConferenceInfo;
import org.sigbridge.sip.mapping.ConferenceInfoParser;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.peers.FreePorts;

/**
 * RFC 4575 participant announcements arriving at a bridge (docs/design.md §5.7), sent by a second, real JAIN-SIP stack
 * straight to the bridge as another bridge would: the participants a document names become remote participants of the
 * channel (roster and presence, with the names it gives), partial documents add and delete, a stale version changes
 * nothing, everything leaves when the sender's membership expires, and the bridge answers a new sender with its own
 * full state. Nothing of it reaches a page as an envelope, while a plain text MESSAGE still does; bodies that are no
 * usable document are refused 400 or 488 and counted.
 */
class ConferenceInfoInboundTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NS = "xmlns=\"urn:ietf:params:xml:ns:conference-info\"";

    /** One client stack for the class (each JAIN-SIP stack's stop takes a second); each test gets a new bridge. */
    private static RawSipClient client;
    private BridgeUnderTest bridge;
    private int port;
    private final String callId = "announcer-" + System.nanoTime() + "@127.0.0.1";
    private long cseq;

    @BeforeAll
    static void startClient() throws Exception {
        client = new RawSipClient();
        client.answerRequests();
    }

    @AfterAll
    static void stopClient() {
        client.close();
    }

    @BeforeEach
    void start() throws Exception {
        client.forget();
        port = FreePorts.tcpAndUdp();
        bridge = BridgeUnderTest.start("""
                bridge:
                  name: here
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    member-ttl: 2s
                routes:
                  - match: "*"
                    to: sip
                    target: none
                """, Map.of("PORT", Integer.toString(port)));
    }

    @AfterEach
    void stop() {
        bridge.close();
    }

    /** A conference-info MESSAGE of the tester's one conversation (one Call-ID, CSeq rising) to {@code channel}. */
    private Response announce(String channel, String xml) throws Exception {
        Request r = client.message("sip:" + channel + "@127.0.0.1:" + port, "application/conference-info+xml", xml, "udp");
        r.setHeader(client.headers.createCallIdHeader(callId));
        r.setHeader(client.headers.createCSeqHeader(++cseq, Request.MESSAGE));
        return client.send(r, WAIT);
    }

    private static String doc(String state, int version, String users) {
        return "<conference-info " + NS + " entity=\"sip:room1@localhost\" state=\"" + state + "\" version=\"" + version
                + "\"><users>" + users + "</users></conference-info>";
    }

    private static PresenceEvent next(RecordingEndpoint page, PresenceEvent.Kind kind) throws InterruptedException {
        PresenceEvent e = page.presence().next(WAIT);
        while (e.participant().adapter().equals("sip") && e.participant().id().startsWith("sip:")) {
            e = page.presence().next(WAIT); // the announcing bridge itself joining as a member
        }
        assertEquals(kind, e.kind(), e.toString());
        return e;
    }

    @Test
    void announcedParticipantsJoinChangeAndLeaveWithTheMemberAndNeverReachPagesAsEnvelopes() throws Exception {
        RecordingEndpoint page = bridge.browser("b1", "room1");
        Response first = announce("room1", doc("full", 1, "<user entity=\"sip:p1@east\"><display-text>Pat</display-text></user>"
                + "<user entity=\"sip:p%202@east\"/>"));
        assertEquals(200, first.getStatusCode());
        assertEquals(new Participant("sip", "p1", "Pat"), next(page, PresenceEvent.Kind.JOINED).participant());
        assertEquals(new Participant("sip", "p 2", "p 2"), next(page, PresenceEvent.Kind.JOINED).participant());
        List<Participant> roster = bridge.hub().participants("room1");
        assertTrue(roster.containsAll(List.of(new Participant("sip", "p1", "Pat"), new Participant("sip", "p 2", "p 2"))), roster.toString());

        // A new sender is told this bridge's full state, at its contact, in a conversation of its own.
        Request back = client.requests().poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(back != null, "the bridge announced its participants back");
        assertEquals("conference-info+xml", ((ContentTypeHeader) back.getHeader(ContentTypeHeader.NAME)).getContentSubType());
        ConferenceInfo ours = assertInstanceOf(ConferenceInfoParser.Parsed.class, ConferenceInfoParser.parse(back.getRawContent())).info();
        assertTrue(ours.full(), ours.toString());
        assertEquals("sip:room1@localhost", ours.entity());
        String conversation = ((CallIdHeader) back.getHeader(CallIdHeader.NAME)).getCallId();
        assertFalse(callId.equals(conversation));
        List<ConferenceInfo.User> announced = new java.util.ArrayList<>(ours.users());
        // b1's join reaches the SIP adapter's worker through the hub, the sender's document through JAIN-SIP: when the
        // document came first, the full state names nobody and b1 follows in the same conversation, as a partial
        // document, or as full state when another full state was asked for meanwhile (the channel's AOR registered while
        // the first was in flight: seen under load); a full document replaces what the earlier ones said.
        while (announced.isEmpty()) {
            Request more = client.requests().poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(more != null, "b1 announced after the full state " + ours);
            ConferenceInfo next = assertInstanceOf(ConferenceInfoParser.Parsed.class, ConferenceInfoParser.parse(more.getRawContent())).info();
            assertEquals(conversation, ((CallIdHeader) more.getHeader(CallIdHeader.NAME)).getCallId());
            assertTrue(next.version() > ours.version(), next + " after " + ours);
            if (next.full()) {
                announced.clear();
            }
            announced.addAll(next.users());
            ours = next;
        }
        assertEquals(List.of(new ConferenceInfo.User("b1", "b1", false)), announced, "the bridge's page, once");

        assertEquals(200, announce("room1", doc("partial", 2, "<user entity=\"sip:p%202@east\" state=\"deleted\"/>")).getStatusCode());
        assertEquals(new Participant("sip", "p 2", "p 2"), next(page, PresenceEvent.Kind.LEFT).participant());
        Response stale = announce("room1", doc("full", 2, "<user entity=\"sip:p3@east\"/>"));
        assertEquals(200, stale.getStatusCode());
        assertTrue(stale.getReasonPhrase().contains("stale"), stale.getReasonPhrase());

        assertEquals(0, page.envelopes().drain().size(), "an announcement is no envelope");
        Request text = client.message("sip:room1@127.0.0.1:" + port, "text/plain", "hello", "udp");
        assertEquals(200, client.send(text, WAIT).getStatusCode(), "a plain MESSAGE is an envelope as before");
        assertEquals("\"hello\"", page.envelopes().next(WAIT).message().json());

        // The sender's membership runs out (member-ttl 2s, nothing refreshes it): what it announced leaves with it.
        assertEquals(new Participant("sip", "p1", "Pat"), next(page, PresenceEvent.Kind.LEFT).participant());
        assertFalse(bridge.hub().participants("room1").stream().anyMatch(p -> p.id().equals("p1")));
        assertEquals(3, bridge.sip().stats().conferenceInfoIn().sum());
    }

    @Test
    void refusesBodiesThatAreNoUsableDocumentAndCountsThem() throws Exception {
        RecordingEndpoint page = bridge.browser("b1", "room1");
        String xxe = "<!DOCTYPE c [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + doc("full", 1, "<user entity=\"sip:p@e\"><display-text>&x;</display-text></user>");
        Response r = announce("room1", xxe);
        assertEquals(400, r.getStatusCode());
        assertTrue(r.getReasonPhrase().contains("DOCTYPE"), r.getReasonPhrase());
        assertEquals(400, announce("room1", "<conference-info " + NS + " entity=\"sip:room1@localhost\"/>").getStatusCode(), "no version");
        assertEquals(400, announce("room1", "not xml").getStatusCode());
        Response other = announce("room1", doc("full", 1, "").replace("sip:room1@", "sip:room2@"));
        assertEquals(488, other.getStatusCode(), "about another conference than the channel addressed");
        assertEquals(404, announce("closed", doc("full", 1, "").replace("sip:room1@", "sip:closed@")).getStatusCode(),
                "no such channel open here");
        assertEquals(4, bridge.sip().stats().conferenceInfoRefused().sum());
        assertEquals(0, bridge.sip().stats().conferenceInfoIn().sum());
        assertEquals(List.of(new Participant("web", "b1", "b1")), bridge.hub().participants("room1"), "nobody joined");
        assertEquals(0, page.envelopes().drain().size());
    }
}
