package org.sigbridge.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.testing.Envelopes.envelope;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.routing.RoutePattern;
import org.sigbridge.routing.RouteRule;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.testing.RecordingBackend;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testing.RecordingSettings;

class HubTest {

    private static final Duration QUIET = Duration.ofMillis(100);

    private RecordingBackend xmpp;
    private Hub hub;

    @BeforeEach
    void setUp() {
        xmpp = new RecordingBackend("xmpp", new RecordingSettings(null, null));
        RoutingTable routes = new RoutingTable(List.of(
                new RouteRule(0, RoutePattern.glob("muc-*"), new RouteTarget.Leg("xmpp", "{channel}@muc", Map.of()), "test:1"),
                new RouteRule(1, RoutePattern.glob("forbidden*"), new RouteTarget.Deny(), "test:2")),
                new RouteTarget.Local());
        hub = new Hub("test", routes, Map.of("xmpp", xmpp), Clock.systemUTC());
        xmpp.start(hub);
    }

    @Test
    void deliversToEverySubscriberButTheSender() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        RecordingEndpoint b = new RecordingEndpoint("b");
        RecordingEndpoint c = new RecordingEndpoint("c");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");
        hub.subscribe(c, "room");

        Envelope sent = envelope("room", "a", "{\"sdp\":\"offer\"}");
        PublishResult result = hub.publish(sent, a);

        assertEquals(new PublishResult.Published(2, 0), result);
        assertEquals(sent, b.envelopes().next());
        assertEquals(sent, c.envelopes().next());
        a.envelopes().expectNothing(QUIET);
    }

    /**
     * Endpoint.deliver's contract (docs/design.md §2.4): a subscriber that refuses has told the sender itself, so the hub
     * reports nothing for it (here a full subscriber that does not report: nobody tells the sender twice); one that throws
     * could not, so the hub reports that one, once, and the other subscribers still get their copy.
     */
    @Test
    void theHubReportsASubscriberThatThrewButNotOneThatRefused() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        RecordingEndpoint full = new RecordingEndpoint("full", "web", 0);
        RecordingEndpoint c = new RecordingEndpoint("c");
        org.sigbridge.spi.Endpoint broken = new org.sigbridge.spi.Endpoint() {
            @Override
            public String id() {
                return "broken";
            }

            @Override
            public String adapter() {
                return "web";
            }

            @Override
            public org.sigbridge.spi.DeliveryResult deliver(Envelope envelope) {
                throw new IllegalStateException("a bug");
            }
        };
        hub.subscribe(a, "room");
        hub.subscribe(full, "room");
        hub.subscribe(broken, "room");
        hub.subscribe(c, "room");

        Envelope sent = envelope("room", "a", "1");
        hub.publish(sent, a);

        assertEquals(sent, c.envelopes().next());
        org.sigbridge.spi.DeliveryFailure failure = a.failures().next();
        assertEquals(sent.id(), failure.envelopeId());
        assertEquals(ErrorCode.INTERNAL, failure.code());
        assertTrue(failure.detail().contains("not delivered to broken"), failure.detail());
        a.failures().expectNothing(QUIET);
    }

    @Test
    void aSenderNeedNotBeSubscribedToPublish() {
        RecordingEndpoint member = new RecordingEndpoint("member");
        RecordingEndpoint outsider = new RecordingEndpoint("outsider");
        hub.subscribe(member, "room");

        hub.publish(envelope("room", "outsider", "1"), outsider);

        assertEquals("1", member.envelopes().next().message().json());
    }

    @Test
    void doesNotDeliverToOtherChannels() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        RecordingEndpoint b = new RecordingEndpoint("b");
        hub.subscribe(a, "one");
        hub.subscribe(b, "two");

        hub.publish(envelope("one", "x", "1"), new RecordingEndpoint("x"));

        b.envelopes().expectNothing(QUIET);
        assertEquals("1", a.envelopes().next().message().json());
    }

    @Test
    void subscribingTwiceDeliversOnce() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        hub.subscribe(a, "room");
        hub.subscribe(a, "room");

        hub.publish(envelope("room", "x", "1"), new RecordingEndpoint("x"));

        a.envelopes().next();
        a.envelopes().expectNothing(QUIET);
    }

    @Test
    void keepsEachSendersOrder() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        RecordingEndpoint b = new RecordingEndpoint("b");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");

        for (int i = 0; i < 1000; i++) {
            hub.publish(envelope("room", "a", Integer.toString(i)), a);
        }

        for (int i = 0; i < 1000; i++) {
            assertEquals(Integer.toString(i), b.envelopes().next().message().json());
        }
    }

    @Test
    void deniedChannelsRefuseSubscribersAndPublishers() {
        RecordingEndpoint a = new RecordingEndpoint("a");

        SubscribeResult sub = hub.subscribe(a, "forbidden-1");
        PublishResult pub = hub.publish(envelope("forbidden-1", "a", "1"), a);

        assertEquals(ErrorCode.NOT_PERMITTED, assertInstanceOf(SubscribeResult.Refused.class, sub).code());
        assertEquals(ErrorCode.NOT_PERMITTED, assertInstanceOf(PublishResult.Refused.class, pub).code());
        assertEquals(0, hub.ops().channelCount());
    }

    @Test
    void opensABackEndLinkWithTheFirstParticipantAndClosesItWithTheLast() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        RecordingEndpoint b = new RecordingEndpoint("b");

        hub.subscribe(a, "muc-1");
        hub.subscribe(b, "muc-1");
        assertEquals("muc-1", xmpp.opened().next());
        xmpp.opened().expectNothing(QUIET);

        hub.unsubscribe(a, "muc-1");
        xmpp.closed().expectNothing(QUIET);
        hub.detach(b);
        assertEquals("muc-1", xmpp.closed().next());
        assertEquals(0, hub.ops().channelCount());
    }

    @Test
    void sendsLocalEnvelopesUpstreamAndUpstreamEnvelopesToLocalsWithoutLoops() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        RecordingEndpoint b = new RecordingEndpoint("b");
        hub.subscribe(a, "muc-1");
        hub.subscribe(b, "muc-1");

        hub.publish(envelope("muc-1", "a", "{\"from\":\"a\"}"), a);
        assertEquals("{\"from\":\"a\"}", xmpp.upstream().next().message().json());
        assertEquals("{\"from\":\"a\"}", b.envelopes().next().message().json());

        PublishResult inbound = xmpp.receive("muc-1", "native", "{\"from\":\"native\"}");
        assertEquals(new PublishResult.Published(2, 0), inbound);
        assertEquals("{\"from\":\"native\"}", a.envelopes().next().message().json());
        assertEquals("{\"from\":\"native\"}", b.envelopes().next().message().json());
        xmpp.upstream().expectNothing(QUIET);
    }

    @Test
    void publishingToAClosedRoutedChannelStillReachesTheBackEnd() {
        PublishResult result = hub.publish(envelope("muc-lonely", "a", "1"), new RecordingEndpoint("a"));

        assertEquals(new PublishResult.Published(1, 0), result);
        assertEquals("1", xmpp.upstream().next().message().json());
        assertEquals("muc-lonely", xmpp.closed().next());
    }

    @Test
    void refusesInboundEnvelopesForChannelsThatAreNotOpenOrNotRoutedThere() {
        PublishResult notOpen = xmpp.receive("muc-closed", "native", "1");
        PublishResult notRouted = xmpp.receive("plain", "native", "1");

        assertEquals(ErrorCode.NO_SUCH_CHANNEL, assertInstanceOf(PublishResult.Refused.class, notOpen).code());
        assertEquals(ErrorCode.NOT_PERMITTED, assertInstanceOf(PublishResult.Refused.class, notRouted).code());
    }

    @Test
    void tellsTheSenderByEnvelopeIdWhenTheBackEndRefuses() {
        RecordingBackend refusing = new RecordingBackend("sip", new RecordingSettings("upstream_rejected", null));
        Hub h = new Hub("test", new RoutingTable(List.of(new RouteRule(0, RoutePattern.glob("*"),
                new RouteTarget.Leg("sip", "sip:{channel}@x", Map.of()), "t:1")), new RouteTarget.Local()),
                Map.of("sip", refusing), Clock.systemUTC());
        refusing.start(h);
        RecordingEndpoint a = new RecordingEndpoint("a");
        h.subscribe(a, "call");

        Envelope sent = envelope("call", "a", "1");
        h.publish(sent, a);

        var failure = a.failures().next();
        assertEquals(sent.id(), failure.envelopeId());
        assertEquals(ErrorCode.UPSTREAM_REJECTED, failure.code());
    }

    @Test
    void reportsALaterUpstreamFailureToTheEndpointThatSentIt() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        hub.subscribe(a, "muc-1");
        Envelope sent = envelope("muc-1", "a", "1");
        hub.publish(sent, a);

        hub.reportFailure(xmpp.upstream().next(), ErrorCode.EXPIRED, "room join timed out");

        var failure = a.failures().next();
        assertEquals(sent.id(), failure.envelopeId());
        assertEquals(ErrorCode.EXPIRED, failure.code());
        assertEquals("room join timed out", failure.detail());
    }

    @Test
    void aSlowSubscriberCostsOthersNothing() {
        RecordingEndpoint slow = new RecordingEndpoint("slow", "web", 1);
        RecordingEndpoint fast = new RecordingEndpoint("fast");
        hub.subscribe(slow, "room");
        hub.subscribe(fast, "room");
        RecordingEndpoint sender = new RecordingEndpoint("sender");

        hub.publish(envelope("room", "sender", "1"), sender);
        PublishResult second = hub.publish(envelope("room", "sender", "2"), sender);

        assertEquals(new PublishResult.Published(1, 0), second);
        assertEquals("1", fast.envelopes().next().message().json());
        assertEquals("2", fast.envelopes().next().message().json());
        assertEquals(1, hub.ops().stats().rejected());
    }

    @Test
    void countsQueuedUpstreamDeliveriesApart() {
        RecordingBackend queueing = new RecordingBackend("xmpp", new RecordingSettings(null, true));
        Hub h = new Hub("test", new RoutingTable(List.of(new RouteRule(0, RoutePattern.glob("*"),
                new RouteTarget.Leg("xmpp", "{channel}@muc", Map.of()), "t:1")), new RouteTarget.Local()),
                Map.of("xmpp", queueing), Clock.systemUTC());
        queueing.start(h);

        PublishResult result = h.publish(envelope("room", "a", "1"), new RecordingEndpoint("a"));

        assertEquals(new PublishResult.Published(0, 1), result);
    }

    @Test
    void announcesLocalJoinsAndLeavesToOtherSubscribersAndTheLink() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        RecordingEndpoint b = new RecordingEndpoint("b");
        hub.subscribe(a, "muc-1");
        assertEquals("a", xmpp.presence().next().participant().id());

        hub.subscribe(b, "muc-1");
        PresenceEvent joined = a.presence().next();
        assertEquals(PresenceEvent.Kind.JOINED, joined.kind());
        assertEquals("b", joined.participant().id());
        b.presence().expectNothing(QUIET);

        hub.detach(b);
        PresenceEvent left = a.presence().next();
        assertEquals(PresenceEvent.Kind.LEFT, left.kind());
        assertTrue(left.present());
    }

    @Test
    void theLinkHearsTheLastLocalParticipantLeaveBeforeItCloses() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        hub.subscribe(a, "muc-1");
        assertEquals(PresenceEvent.Kind.JOINED, xmpp.presence().next().kind());

        hub.detach(a);

        PresenceEvent left = xmpp.presence().next();
        assertEquals(PresenceEvent.Kind.LEFT, left.kind());
        assertEquals("a", left.participant().id());
        assertFalse(left.present());
        assertEquals("muc-1", xmpp.closed().next());
    }

    @Test
    void remoteParticipantsMakeAChannelPresentAndAreAnnouncedToLocals() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        hub.subscribe(a, "muc-1");
        hub.unsubscribe(a, "muc-1");
        assertFalse(hub.isPresent("muc-1"));

        hub.subscribe(a, "muc-1");
        xmpp.remoteJoined("muc-1", "alice@native");
        assertEquals("alice@native", a.presence().next().participant().id());

        hub.detach(a);
        assertFalse(hub.isPresent("muc-1"), "a channel closes with its last local participant");
    }

    @Test
    void probesTheBackEndForPresenceOfAChannelNotOpenHere() throws Exception {
        xmpp.setRemotePresence("muc-elsewhere", true);

        assertTrue(hub.probePresence("muc-elsewhere").toCompletableFuture().get());
        assertFalse(hub.probePresence("muc-empty").toCompletableFuture().get());
        assertFalse(hub.probePresence("local-empty").toCompletableFuture().get());
    }

    @Test
    void aLocalSubscriberMakesItsChannelPresent() throws Exception {
        hub.subscribe(new RecordingEndpoint("a"), "local");

        assertTrue(hub.isPresent("local"));
        assertTrue(hub.probePresence("local").toCompletableFuture().get());
    }
}
