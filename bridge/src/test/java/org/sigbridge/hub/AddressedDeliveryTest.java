package org.sigbridge.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.routing.RoutePattern;
import org.sigbridge.routing.RouteRule;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.testing.RecordingBackend;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testing.RecordingSettings;

/**
 * Addressed delivery through the hub (docs/architecture.md, "Addressed delivery"). The hub delivers on the
 * publishing thread, so what an endpoint or link has recorded is complete when {@code publish} returns.
 */
class AddressedDeliveryTest {

    private static int serial;

    private static Hub localHub() {
        return new Hub("t", RoutingTable.allLocal(), Map.of(), Clock.systemUTC());
    }

    private static RecordingBackend backend(String name) {
        return new RecordingBackend(name, new RecordingSettings(null, null));
    }

    private static Hub routedHub(RecordingBackend backend) {
        RoutingTable table = new RoutingTable(List.of(new RouteRule(0, RoutePattern.glob("up-*"),
                new RouteTarget.Leg(backend.name(), "", Map.of()), "t:1")), new RouteTarget.Local());
        return new Hub("t", table, Map.of(backend.name(), backend), Clock.systemUTC());
    }

    private static Envelope envelope(String channel, RecordingEndpoint from, String to) {
        return new Envelope("e-" + ++serial, channel, JsonValue.string(from.id()), JsonValue.string("offer"),
                new Origin(from.adapter(), from.id()), Instant.now(), to);
    }

    /** The ids of what was recorded so far, taking it out of the recorder. */
    private static List<String> ids(List<Envelope> recorded) {
        return recorded.stream().map(Envelope::id).toList();
    }

    @Test
    void deliversAnAddressedEnvelopeToTheMatchingLocalParticipantOnly() {
        Hub hub = localHub();
        RecordingEndpoint alice = new RecordingEndpoint("s1", new Participant("web", "alice", "Alice"));
        RecordingEndpoint bob = new RecordingEndpoint("s2", new Participant("web", "bob", "Bob"));
        RecordingEndpoint carol = new RecordingEndpoint("s3", new Participant("web", "carol", "Carol"));
        List.of(alice, bob, carol).forEach(e -> hub.subscribe(e, "room"));

        Envelope e = envelope("room", alice, "bob");
        PublishResult r = hub.publish(e, alice);

        assertEquals(new PublishResult.Published(1, 0), r);
        List<Envelope> toBob = bob.envelopes().drain();
        assertEquals(List.of(e.id()), ids(toBob));
        assertEquals(List.of(), ids(carol.envelopes().drain()), "the other participant must not get it");
        assertEquals(List.of(), ids(alice.envelopes().drain()));
        assertEquals("bob", toBob.get(0).recipient(), "the recipient travels with the envelope");
    }

    @Test
    void aBroadcastStillReachesEveryoneButTheSender() {
        Hub hub = localHub();
        RecordingEndpoint alice = new RecordingEndpoint("s1");
        RecordingEndpoint bob = new RecordingEndpoint("s2");
        RecordingEndpoint carol = new RecordingEndpoint("s3");
        List.of(alice, bob, carol).forEach(e -> hub.subscribe(e, "room"));

        hub.publish(envelope("room", alice, null), alice);

        assertEquals(1, bob.envelopes().size());
        assertEquals(1, carol.envelopes().size());
        assertEquals(0, alice.envelopes().size());
    }

    @Test
    void refusesARecipientThatIsNowhereByEnvelopeId() {
        Hub hub = localHub();
        RecordingEndpoint alice = new RecordingEndpoint("s1");
        RecordingEndpoint bob = new RecordingEndpoint("s2");
        hub.subscribe(alice, "room");
        hub.subscribe(bob, "room");

        PublishResult r = hub.publish(envelope("room", alice, "nobody"), alice);

        assertEquals(ErrorCode.NO_SUCH_RECIPIENT, assertInstanceOf(PublishResult.Refused.class, r).code());
        assertEquals(List.of(), bob.envelopes().drain());
        assertEquals(1, hub.ops().stats().refused());
    }

    @Test
    void anEnvelopeAddressedToItsOwnSenderIsNotEchoed() {
        Hub hub = localHub();
        RecordingEndpoint alice = new RecordingEndpoint("s1");
        hub.subscribe(alice, "room");
        hub.subscribe(new RecordingEndpoint("s2"), "room");

        PublishResult r = hub.publish(envelope("room", alice, "s1"), alice);

        assertEquals(ErrorCode.NO_SUCH_RECIPIENT, assertInstanceOf(PublishResult.Refused.class, r).code());
        assertEquals(List.of(), alice.envelopes().drain());
    }

    @Test
    void refusesAnAddressedEnvelopeOnAChannelNobodyIsOn() {
        Hub hub = localHub();
        RecordingEndpoint alice = new RecordingEndpoint("s1");

        PublishResult r = hub.publish(envelope("empty", alice, "bob"), alice);

        assertEquals(ErrorCode.NO_SUCH_RECIPIENT, assertInstanceOf(PublishResult.Refused.class, r).code());
    }

    @Test
    void anEndpointCanAlsoBeAddressedByItsEndpointId() {
        Hub hub = localHub();
        RecordingEndpoint alice = new RecordingEndpoint("s1");
        RecordingEndpoint bob = new RecordingEndpoint("s2", new Participant("web", "bob", "Bob"));
        hub.subscribe(alice, "room");
        hub.subscribe(bob, "room");

        assertEquals(new PublishResult.Published(1, 0), hub.publish(envelope("room", alice, "s2"), alice));
        assertEquals(1, bob.envelopes().size());
    }

    @Test
    void deliversToEveryEndpointOfOneParticipant() {
        Hub hub = localHub();
        RecordingEndpoint alice = new RecordingEndpoint("s1");
        RecordingEndpoint bobTab1 = new RecordingEndpoint("s2", new Participant("web", "bob", "Bob"));
        RecordingEndpoint bobTab2 = new RecordingEndpoint("s3", new Participant("web", "bob", "Bob"));
        List.of(alice, bobTab1, bobTab2).forEach(e -> hub.subscribe(e, "room"));

        assertEquals(new PublishResult.Published(2, 0), hub.publish(envelope("room", alice, "bob"), alice));
        assertEquals(1, bobTab1.envelopes().size());
        assertEquals(1, bobTab2.envelopes().size());
    }

    @Test
    void aLocalRecipientOnARoutedChannelDoesNotGoUpstream() {
        RecordingBackend backend = backend("xmpp");
        Hub hub = routedHub(backend);
        RecordingEndpoint alice = new RecordingEndpoint("s1");
        RecordingEndpoint bob = new RecordingEndpoint("s2");
        hub.subscribe(alice, "up-1");
        hub.subscribe(bob, "up-1");

        hub.publish(envelope("up-1", alice, "s2"), alice);

        assertEquals(1, bob.envelopes().size());
        assertEquals(List.of(), backend.upstream().drain(), "the link must not get an envelope for a local participant");
    }

    @Test
    void aRecipientNotHereGoesThroughTheLinkOnly() {
        RecordingBackend backend = backend("xmpp");
        Hub hub = routedHub(backend);
        RecordingEndpoint alice = new RecordingEndpoint("s1");
        RecordingEndpoint bob = new RecordingEndpoint("s2");
        hub.subscribe(alice, "up-1");
        hub.subscribe(bob, "up-1");
        hub.participantJoined("up-1", new Participant("xmpp", "room@muc/dave", "dave"));
        backend.reachable("room@muc/dave");

        Envelope e = envelope("up-1", alice, "room@muc/dave");
        assertEquals(new PublishResult.Published(1, 0), hub.publish(e, alice));

        assertEquals(List.of(e.id()), ids(backend.upstream().drain()));
        assertEquals(List.of(), bob.envelopes().drain());
    }

    @Test
    void aRecipientTheLinkCannotReachIsReportedToTheSenderByEnvelopeId() {
        RecordingBackend backend = backend("xmpp");
        Hub hub = routedHub(backend);
        RecordingEndpoint alice = new RecordingEndpoint("s1");
        hub.subscribe(alice, "up-1");

        Envelope e = envelope("up-1", alice, "ghost");
        hub.publish(e, alice);

        assertEquals(List.of(new DeliveryFailure(e.id(), "up-1", ErrorCode.NO_SUCH_RECIPIENT, "nobody upstream is ghost")), alice.failures().drain());
    }

    @Test
    void anInboundAddressedEnvelopeReachesOneLocalParticipant() {
        RecordingBackend backend = backend("xmpp");
        Hub hub = routedHub(backend);
        RecordingEndpoint alice = new RecordingEndpoint("s1", new Participant("web", "alice", "Alice"));
        RecordingEndpoint bob = new RecordingEndpoint("s2", new Participant("web", "bob", "Bob"));
        hub.subscribe(alice, "up-1");
        hub.subscribe(bob, "up-1");
        Envelope in = new Envelope("in-1", "up-1", JsonValue.string("dave"), JsonValue.string("answer"),
                new Origin("xmpp", backend.linkId("up-1")), Instant.now(), "alice");

        assertEquals(new PublishResult.Published(1, 0), hub.publishInbound(in));

        assertEquals(List.of("in-1"), ids(alice.envelopes().drain()));
        assertEquals(List.of(), bob.envelopes().drain());
        assertEquals(List.of(), backend.upstream().drain(), "never back through the link it came from");
    }

    @Test
    void anInboundEnvelopeForNobodyHereIsRefusedToTheLink() {
        RecordingBackend backend = backend("xmpp");
        Hub hub = routedHub(backend);
        RecordingEndpoint alice = new RecordingEndpoint("s1");
        hub.subscribe(alice, "up-1");
        backend.reachable("ghost"); // even when the link could address it: it came from there
        Envelope in = new Envelope("in-2", "up-1", JsonValue.string("dave"), JsonValue.string("answer"),
                new Origin("xmpp", backend.linkId("up-1")), Instant.now(), "ghost");

        PublishResult r = hub.publishInbound(in);

        assertEquals(ErrorCode.NO_SUCH_RECIPIENT, assertInstanceOf(PublishResult.Refused.class, r).code());
        assertEquals(List.of(), alice.envelopes().drain());
        assertEquals(List.of(), backend.upstream().drain());
    }

    @Test
    void anAddressedEnvelopeToAClosedRoutedChannelGoesToTheLinkItOpens() {
        RecordingBackend backend = backend("sip");
        Hub hub = routedHub(backend);
        backend.reachable("sip:bob@example.org");
        RecordingEndpoint alice = new RecordingEndpoint("s1");

        PublishResult r = hub.publish(envelope("up-2", alice, "sip:bob@example.org"), alice);

        assertEquals(new PublishResult.Published(1, 0), r);
        assertEquals(List.of("up-2"), backend.opened().drain(), "the envelope opens the link");
        assertTrue(backend.upstream().drain().get(0).isAddressed());
    }
}
