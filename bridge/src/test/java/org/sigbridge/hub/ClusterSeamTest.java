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
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.routing.RoutePattern;
import org.sigbridge.routing.RouteRule;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.Backend;
import org.sigbridge.spi.ChannelLink;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.cluster.ClusterContext;
import org.sigbridge.testing.RecordingBackend;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testing.RecordingSettings;

/**
 * The hub's side of the cluster seam (docs/cluster.md §2 and §3), with a cluster layer that records what the hub hands
 * it: which channels are shared, what goes to the other instances and what never does (no echo, no loops, nothing
 * for channels whose upstream reaches every instance itself).
 */
class ClusterSeamTest {

    private static int serial;

    private final RecordingCluster cluster = new RecordingCluster();
    private final RecordingBackend sip = new RecordingBackend("sip", new RecordingSettings(null, null));
    private final RecordingBackend xmppRecorder = new RecordingBackend("xmpp", new RecordingSettings(null, null));
    /** Like the XMPP adapter: a room reaches every instance by itself. */
    private final Backend xmpp = new Backend() {
        @Override
        public ChannelLink open(RouteMatch match) {
            return xmppRecorder.open(match);
        }

        @Override
        public boolean sharedAcrossInstances() {
            return true;
        }
    };
    private final Hub hub = new Hub("t", new RoutingTable(List.of(
            new RouteRule(0, RoutePattern.glob("sip-*"), new RouteTarget.Leg("sip", "", Map.of()), "t:1"),
            new RouteRule(1, RoutePattern.glob("muc-*"), new RouteTarget.Leg("xmpp", "", Map.of()), "t:2")),
            new RouteTarget.Local()), Map.of("sip", sip, "xmpp", xmpp), Clock.systemUTC());
    private final ClusterContext context = hub.attachCluster(cluster);

    private static Envelope envelope(String channel, String adapter, String endpoint, String to) {
        return new Envelope("e-" + ++serial, channel, JsonValue.string(endpoint), JsonValue.string("x"),
                new Origin(adapter, endpoint), Instant.now(), to);
    }

    @Test
    void aLocalChannelsBroadcastsGoToTheClusterAndWhatComesFromItGoesToLocalMembersOnly() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        RecordingEndpoint b = new RecordingEndpoint("b");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");
        assertEquals(List.of("room"), cluster.opened);

        Envelope mine = envelope("room", a.adapter(), a.id(), null);
        assertEquals(new PublishResult.Published(1, 1), hub.publish(mine, a));
        assertEquals(List.of(mine), cluster.shared);

        Envelope theirs = envelope("room", "web", "other-node:web-1", null);
        assertInstanceOf(PublishResult.Published.class, context.publishFromCluster(theirs, null, null, id -> true));
        assertEquals(List.of(mine.id(), theirs.id()), b.envelopes().drain().stream().map(Envelope::id).toList());
        assertEquals(List.of(theirs.id()), a.envelopes().drain().stream().map(Envelope::id).toList());
        assertEquals(List.of(mine), cluster.shared, "what came from the cluster never goes back to it");
    }

    @Test
    void aChannelWhoseUpstreamReachesEveryInstanceNeverUsesTheCluster() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        hub.subscribe(a, "muc-1");
        hub.publish(envelope("muc-1", a.adapter(), a.id(), null), a);
        assertEquals(List.of(), cluster.opened, "an XMPP room is the bus: a second copy would be delivered twice");
        assertEquals(List.of(), cluster.shared);
        assertEquals(1, xmppRecorder.upstream().drain().size());
        assertInstanceOf(PublishResult.Refused.class,
                context.publishFromCluster(envelope("muc-1", "web", "other:web-1", null), null, null, id -> true));
    }

    @Test
    void aSipChannelIsSharedAndWhatComesFromTheClusterNeverGoesUpstream() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        hub.subscribe(a, "sip-1");
        assertEquals(List.of("sip-1"), cluster.opened);
        Envelope mine = envelope("sip-1", a.adapter(), a.id(), null);
        hub.publish(mine, a);
        assertEquals(List.of(mine.id()), sip.upstream().drain().stream().map(Envelope::id).toList());
        assertEquals(List.of(mine), cluster.shared);

        context.publishFromCluster(envelope("sip-1", "web", "other:web-1", null), null, null, id -> true);
        assertEquals(1, a.envelopes().drain().size());
        assertEquals(List.of(), sip.upstream().drain(), "the instance it entered sent it upstream already");
    }

    @Test
    void anAddressedEnvelopeForAParticipantElsewhereGoesToTheClusterOnly() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        RecordingEndpoint b = new RecordingEndpoint("b");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");
        cluster.elsewhere.add("other:web-7");

        Envelope e = envelope("room", a.adapter(), a.id(), "other:web-7");
        assertEquals(new PublishResult.Published(0, 1), hub.publish(e, a));
        assertEquals(List.of(e), cluster.shared);
        assertEquals(List.of(), b.envelopes().drain());

        PublishResult nobody = hub.publish(envelope("room", a.adapter(), a.id(), "nowhere"), a);
        assertEquals(ErrorCode.NO_SUCH_RECIPIENT, ((PublishResult.Refused) nobody).code());
        PublishResult fromCluster = context.publishFromCluster(envelope("room", "web", "other:web-7", "gone"), null, null, id -> true);
        assertEquals(ErrorCode.NO_SUCH_RECIPIENT, ((PublishResult.Refused) fromCluster).code());
    }

    @Test
    void localJoinsAndLeavesReachTheClusterButRemoteOnesDoNot() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        hub.subscribe(a, "room");
        context.participantJoined("room", new Participant("web", "other:web-1", "bob"));
        assertEquals(2, hub.participants("room").size());
        hub.unsubscribe(a, "room");
        assertEquals(List.of(PresenceEvent.Kind.JOINED, PresenceEvent.Kind.LEFT),
                cluster.presence.stream().map(PresenceEvent::kind).toList());
        assertTrue(cluster.presence.stream().allMatch(p -> "a".equals(p.endpointId())), "only a's own events");
    }
    /**
     * A participant present both here and on another instance (a client that resumed here while the instance it left
     * still holds it, docs/cluster.md §4) joins once and leaves with its last presence for the local subscribers, while
     * the cluster still hears every local join and leave.
     */
    @Test
    void aParticipantPresentHereAndElsewhereJoinsOnceAndLeavesWithItsLastPresence() {
        Participant page = new Participant("web", "other:web-1", "other:web-1");
        RecordingEndpoint observer = new RecordingEndpoint("observer");
        hub.subscribe(observer, "room");
        context.participantJoined("room", page);
        assertEquals(List.of(PresenceEvent.Kind.JOINED), observer.presence().drain().stream().map(PresenceEvent::kind).toList());

        RecordingEndpoint resumed = new RecordingEndpoint("here:web-2", page);
        hub.subscribe(resumed, "room");
        context.participantLeft("room", page); // the instance it left lets it go
        assertEquals(List.of(), observer.presence().drain(), "neither a second join nor a leave");
        assertEquals(2, hub.participants("room").size());

        resumed.presence().drain();
        context.participantJoined("room", page); // held elsewhere again (another socket of it)
        List<PresenceEvent> toItself = resumed.presence().drain();
        assertEquals(1, toItself.size(), "the endpoint presenting it learns it is elsewhere too: " + toItself);
        assertEquals(PresenceEvent.Kind.JOINED, toItself.get(0).kind());
        hub.unsubscribe(resumed, "room");
        assertEquals(List.of(), observer.presence().drain(), "still present elsewhere");
        context.participantLeft("room", page);
        List<PresenceEvent> last = observer.presence().drain();
        assertEquals(1, last.size());
        assertEquals(PresenceEvent.Kind.LEFT, last.get(0).kind());
        assertEquals(page, last.get(0).participant());
        assertEquals(2, cluster.presence.stream().filter(p -> "here:web-2".equals(p.endpointId())).count(),
                "the cluster heard the local join and leave");
    }
}
