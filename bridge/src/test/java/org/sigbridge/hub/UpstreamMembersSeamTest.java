package org.sigbridge.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.routing.RoutePattern;
import org.sigbridge.routing.RouteRule;
import org.sigbridge.routing.RouteTarget;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.Backend;
import org.sigbridge.spi.ChannelLink;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.cluster.ClusterContext;
import org.sigbridge.testing.RecordingEndpoint;

/**
 * The hub's side of SIP dynamic members on a cluster (docs/cluster.md §2, §3): an upstream member its back end reports
 * is shared with the cluster (one the cluster reported is not echoed), an envelope from the cluster reaches the link only
 * through {@link ChannelLink#deliverToMembersHere} with what is sent elsewhere, an addressed one for such a member counts
 * as delivered, and a failure of another instance's envelope goes to the cluster layer.
 */
class UpstreamMembersSeamTest {

    private static final Participant UA = new Participant("sip", "sip:ua@127.0.0.1:5070", "ua");

    /** A link that holds {@link #UA} here and records what it is handed. */
    private static final class HoldingLink implements ChannelLink {
        final List<Envelope> upstream = new CopyOnWriteArrayList<>();
        final List<Envelope> toMembers = new CopyOnWriteArrayList<>();
        volatile Predicate<String> lastSentElsewhere;

        @Override
        public String id() {
            return "sip:sip:1";
        }

        @Override
        public String adapter() {
            return "sip";
        }

        @Override
        public DeliveryResult deliver(Envelope envelope) {
            upstream.add(envelope);
            return DeliveryResult.QUEUED;
        }

        @Override
        public DeliveryResult deliverToMembersHere(Envelope envelope, Predicate<String> sentElsewhere) {
            lastSentElsewhere = sentElsewhere;
            boolean mine = !envelope.isAddressed() || envelope.recipient().equals(UA.id());
            if (!mine || sentElsewhere.test(UA.id())) {
                return new DeliveryResult.Rejected(ErrorCode.NO_SUCH_RECIPIENT, "not held here");
            }
            toMembers.add(envelope);
            return DeliveryResult.QUEUED;
        }

        @Override
        public void close() {
        }
    }

    private final HoldingLink link = new HoldingLink();
    private final Backend sip = match -> link;
    private final RecordingCluster cluster = new RecordingCluster();
    private final Hub hub = new Hub("t", new RoutingTable(List.of(
            new RouteRule(0, RoutePattern.glob("*"), new RouteTarget.Leg("sip", "none", Map.of()), "t:1")),
            new RouteTarget.Local()), Map.of("sip", sip), Clock.systemUTC());
    private final ClusterContext context = hub.attachCluster(cluster);

    private static Envelope envelope(String id, String endpoint, String to) {
        return new Envelope(id, "room", JsonValue.string("s"), JsonValue.string("x"), new Origin("web", endpoint), Instant.now(), to);
    }

    @Test
    void anUpstreamMemberTheBackEndReportsIsSharedAndOneTheClusterReportsIsNot() {
        hub.subscribe(new RecordingEndpoint("a"), "room");
        cluster.presence.clear();

        hub.participantJoined("room", UA);
        context.participantJoined("room", new Participant("web", "othernode1:web-1", "bob"));
        hub.participantLeft("room", UA);

        assertEquals(List.of(PresenceEvent.Kind.JOINED, PresenceEvent.Kind.LEFT), cluster.presence.stream().map(PresenceEvent::kind).toList());
        assertTrue(cluster.presence.stream().allMatch(e -> e.participant().equals(UA) && e.endpointId() == null), cluster.presence.toString());
    }

    @Test
    void anEnvelopeFromTheClusterReachesTheLinksMembersHereOnlyAndNeverItsOtherTargets() {
        RecordingEndpoint a = new RecordingEndpoint("a");
        hub.subscribe(a, "room");

        Envelope theirs = envelope("e-1", "othernode1:web-1", null);
        assertInstanceOf(PublishResult.Published.class, context.publishFromCluster(theirs, null, null, id -> false));
        assertEquals(List.of(theirs), link.toMembers);
        assertEquals(List.of(), link.upstream, "the instance where it entered sent it to the route's targets");
        assertEquals(List.of("e-1"), a.envelopes().drain().stream().map(Envelope::id).toList());

        context.publishFromCluster(envelope("e-2", "othernode1:web-1", null), null, null, UA.id()::equals);
        assertEquals(List.of(theirs), link.toMembers, "a member another instance sends it to is skipped");
        assertEquals(List.of(), cluster.shared, "nothing from the cluster goes back to it");
    }

    @Test
    void anAddressedEnvelopeFromTheClusterForAMemberHeldHereIsDelivered() {
        hub.subscribe(new RecordingEndpoint("a"), "room");

        PublishResult held = context.publishFromCluster(envelope("e-3", "othernode1:web-1", UA.id()), null, null, id -> false);
        PublishResult nobody = context.publishFromCluster(envelope("e-4", "othernode1:web-1", "sip:ghost@h"), null, null, id -> false);

        assertEquals(new PublishResult.Published(0, 1), held);
        assertEquals(ErrorCode.NO_SUCH_RECIPIENT, ((PublishResult.Refused) nobody).code());
        assertEquals(List.of("e-3"), link.toMembers.stream().map(Envelope::id).toList());
    }

    @Test
    void aFailureOfAnotherInstancesEnvelopeGoesToTheClusterLayerAndOneOfThisInstanceDoesNot() {
        hub.reportFailure(envelope("e-5", "othernode1:web-1", null), ErrorCode.UPSTREAM_UNAVAILABLE, "the UA did not answer");
        hub.reportFailure(envelope("e-6", hub.nodeId() + ":web-9", null), ErrorCode.UPSTREAM_UNAVAILABLE, "gone");

        assertEquals(List.of("e-5 upstream_unavailable"), cluster.failures);
        assertNull(link.lastSentElsewhere);
    }
}
