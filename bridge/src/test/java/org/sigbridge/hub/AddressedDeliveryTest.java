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

/** Addressed delivery through the hub (docs/architecture.md, "Addressed delivery"), with this module's own fixtures. */
class AddressedDeliveryTest {

    private static int serial;

    private static Hub localHub() {
        return new Hub("t", RoutingTable.allLocal(), Map.of(), Clock.systemUTC());
    }

    private static Hub routedHub(TestBackend backend) {
        RoutingTable table = new RoutingTable(List.of(new RouteRule(0, RoutePattern.glob("up-*"),
                new RouteTarget.Leg(backend.adapter, "", Map.of()), "t:1")), new RouteTarget.Local());
        return new Hub("t", table, Map.of(backend.adapter, backend), Clock.systemUTC());
    }

    private static Envelope envelope(String channel, TestEndpoint from, String to) {
        return new Envelope("e-" + ++serial, channel, JsonValue.string(from.id), JsonValue.string("offer"),
                new Origin(from.adapter(), from.id), Instant.now(), to);
    }

    @Test
    void deliversAnAddressedEnvelopeToTheMatchingLocalParticipantOnly() {
        Hub hub = localHub();
        TestEndpoint alice = new TestEndpoint("s1", new Participant("web", "alice", "Alice"));
        TestEndpoint bob = new TestEndpoint("s2", new Participant("web", "bob", "Bob"));
        TestEndpoint carol = new TestEndpoint("s3", new Participant("web", "carol", "Carol"));
        List.of(alice, bob, carol).forEach(e -> hub.subscribe(e, "room"));

        Envelope e = envelope("room", alice, "bob");
        PublishResult r = hub.publish(e, alice);

        assertEquals(new PublishResult.Published(1, 0), r);
        assertEquals(List.of(e.id()), bob.receivedIds());
        assertEquals(List.of(), carol.receivedIds(), "the other participant must not get it");
        assertEquals(List.of(), alice.receivedIds());
        assertEquals("bob", bob.received.get(0).recipient(), "the recipient travels with the envelope");
    }

    @Test
    void aBroadcastStillReachesEveryoneButTheSender() {
        Hub hub = localHub();
        TestEndpoint alice = new TestEndpoint("s1");
        TestEndpoint bob = new TestEndpoint("s2");
        TestEndpoint carol = new TestEndpoint("s3");
        List.of(alice, bob, carol).forEach(e -> hub.subscribe(e, "room"));

        hub.publish(envelope("room", alice, null), alice);

        assertEquals(1, bob.received.size());
        assertEquals(1, carol.received.size());
        assertEquals(0, alice.received.size());
    }

    @Test
    void refusesARecipientThatIsNowhereByEnvelopeId() {
        Hub hub = localHub();
        TestEndpoint alice = new TestEndpoint("s1");
        TestEndpoint bob = new TestEndpoint("s2");
        hub.subscribe(alice, "room");
        hub.subscribe(bob, "room");

        PublishResult r = hub.publish(envelope("room", alice, "nobody"), alice);

        assertEquals(ErrorCode.NO_SUCH_RECIPIENT, assertInstanceOf(PublishResult.Refused.class, r).code());
        assertEquals(List.of(), bob.received);
        assertEquals(1, hub.ops().stats().refused());
    }

    @Test
    void anEnvelopeAddressedToItsOwnSenderIsNotEchoed() {
        Hub hub = localHub();
        TestEndpoint alice = new TestEndpoint("s1");
        hub.subscribe(alice, "room");
        hub.subscribe(new TestEndpoint("s2"), "room");

        PublishResult r = hub.publish(envelope("room", alice, "s1"), alice);

        assertEquals(ErrorCode.NO_SUCH_RECIPIENT, assertInstanceOf(PublishResult.Refused.class, r).code());
        assertEquals(List.of(), alice.received);
    }

    @Test
    void refusesAnAddressedEnvelopeOnAChannelNobodyIsOn() {
        Hub hub = localHub();
        TestEndpoint alice = new TestEndpoint("s1");

        PublishResult r = hub.publish(envelope("empty", alice, "bob"), alice);

        assertEquals(ErrorCode.NO_SUCH_RECIPIENT, assertInstanceOf(PublishResult.Refused.class, r).code());
    }

    @Test
    void anEndpointCanAlsoBeAddressedByItsEndpointId() {
        Hub hub = localHub();
        TestEndpoint alice = new TestEndpoint("s1");
        TestEndpoint bob = new TestEndpoint("s2", new Participant("web", "bob", "Bob"));
        hub.subscribe(alice, "room");
        hub.subscribe(bob, "room");

        assertEquals(new PublishResult.Published(1, 0), hub.publish(envelope("room", alice, "s2"), alice));
        assertEquals(1, bob.received.size());
    }

    @Test
    void deliversToEveryEndpointOfOneParticipant() {
        Hub hub = localHub();
        TestEndpoint alice = new TestEndpoint("s1");
        TestEndpoint bobTab1 = new TestEndpoint("s2", new Participant("web", "bob", "Bob"));
        TestEndpoint bobTab2 = new TestEndpoint("s3", new Participant("web", "bob", "Bob"));
        List.of(alice, bobTab1, bobTab2).forEach(e -> hub.subscribe(e, "room"));

        assertEquals(new PublishResult.Published(2, 0), hub.publish(envelope("room", alice, "bob"), alice));
        assertEquals(1, bobTab1.received.size());
        assertEquals(1, bobTab2.received.size());
    }

    @Test
    void aLocalRecipientOnARoutedChannelDoesNotGoUpstream() {
        TestBackend backend = new TestBackend("xmpp");
        Hub hub = routedHub(backend);
        TestEndpoint alice = new TestEndpoint("s1");
        TestEndpoint bob = new TestEndpoint("s2");
        hub.subscribe(alice, "up-1");
        hub.subscribe(bob, "up-1");

        hub.publish(envelope("up-1", alice, "s2"), alice);

        assertEquals(1, bob.received.size());
        assertEquals(List.of(), backend.link().received, "the link must not get an envelope for a local participant");
    }

    @Test
    void aRecipientNotHereGoesThroughTheLinkOnly() {
        TestBackend backend = new TestBackend("xmpp");
        Hub hub = routedHub(backend);
        TestEndpoint alice = new TestEndpoint("s1");
        TestEndpoint bob = new TestEndpoint("s2");
        hub.subscribe(alice, "up-1");
        hub.subscribe(bob, "up-1");
        hub.participantJoined("up-1", new Participant("xmpp", "room@muc/dave", "dave"));
        backend.reachable.add("room@muc/dave");

        Envelope e = envelope("up-1", alice, "room@muc/dave");
        assertEquals(new PublishResult.Published(1, 0), hub.publish(e, alice));

        assertEquals(List.of(e.id()), backend.link().received.stream().map(Envelope::id).toList());
        assertEquals(List.of(), bob.received);
    }

    @Test
    void aRecipientTheLinkCannotReachIsReportedToTheSenderByEnvelopeId() {
        TestBackend backend = new TestBackend("xmpp");
        Hub hub = routedHub(backend);
        TestEndpoint alice = new TestEndpoint("s1");
        hub.subscribe(alice, "up-1");

        Envelope e = envelope("up-1", alice, "ghost");
        hub.publish(e, alice);

        assertEquals(List.of(new DeliveryFailure(e.id(), "up-1", ErrorCode.NO_SUCH_RECIPIENT, "nobody upstream is ghost")), alice.failures);
    }

    @Test
    void anInboundAddressedEnvelopeReachesOneLocalParticipant() {
        TestBackend backend = new TestBackend("xmpp");
        Hub hub = routedHub(backend);
        TestEndpoint alice = new TestEndpoint("s1", new Participant("web", "alice", "Alice"));
        TestEndpoint bob = new TestEndpoint("s2", new Participant("web", "bob", "Bob"));
        hub.subscribe(alice, "up-1");
        hub.subscribe(bob, "up-1");
        Envelope in = new Envelope("in-1", "up-1", JsonValue.string("dave"), JsonValue.string("answer"),
                new Origin("xmpp", backend.link().id()), Instant.now(), "alice");

        assertEquals(new PublishResult.Published(1, 0), hub.publishInbound(in));

        assertEquals(List.of("in-1"), alice.receivedIds());
        assertEquals(List.of(), bob.received);
        assertEquals(List.of(), backend.link().received, "never back through the link it came from");
    }

    @Test
    void anInboundEnvelopeForNobodyHereIsRefusedToTheLink() {
        TestBackend backend = new TestBackend("xmpp");
        Hub hub = routedHub(backend);
        TestEndpoint alice = new TestEndpoint("s1");
        hub.subscribe(alice, "up-1");
        backend.reachable.add("ghost"); // even when the link could address it: it came from there
        Envelope in = new Envelope("in-2", "up-1", JsonValue.string("dave"), JsonValue.string("answer"),
                new Origin("xmpp", backend.link().id()), Instant.now(), "ghost");

        PublishResult r = hub.publishInbound(in);

        assertEquals(ErrorCode.NO_SUCH_RECIPIENT, assertInstanceOf(PublishResult.Refused.class, r).code());
        assertEquals(List.of(), alice.received);
        assertEquals(List.of(), backend.link().received);
    }

    @Test
    void anAddressedEnvelopeToAClosedRoutedChannelGoesToTheLinkItOpens() {
        TestBackend backend = new TestBackend("sip");
        Hub hub = routedHub(backend);
        backend.reachable.add("sip:bob@example.org");
        TestEndpoint alice = new TestEndpoint("s1");

        PublishResult r = hub.publish(envelope("up-2", alice, "sip:bob@example.org"), alice);

        assertEquals(new PublishResult.Published(1, 0), r);
        assertTrue(backend.link().received.get(0).isAddressed());
    }
}
