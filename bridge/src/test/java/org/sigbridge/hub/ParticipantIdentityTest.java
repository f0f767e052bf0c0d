package org.sigbridge.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.testing.RecordingEndpoint;

/** Participant identities, node-qualified endpoint ids and the roster a hub answers. */
class ParticipantIdentityTest {

    private static Hub hub() {
        return new Hub("same-name", RoutingTable.allLocal(), Map.of(), Clock.systemUTC());
    }

    @Test
    void anEndpointPresentsItsIdAsParticipantByDefault() {
        assertEquals(new Participant("web", "s1", "s1"), new RecordingEndpoint("s1").participant());
    }

    @Test
    void endpointIdsAreUniqueAcrossHubsThatShareABridgeName() {
        Hub a = hub();
        Hub b = hub();
        assertNotEquals(a.nodeId(), b.nodeId());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ids.add(a.endpointId("web"));
            ids.add(b.endpointId("web"));
        }
        assertEquals(200, ids.size());
        String id = a.endpointId("web");
        assertTrue(id.startsWith(a.nodeId() + ":web-"), id);
    }

    @Test
    void theRosterListsLocalParticipantsOnceThenRemoteOnes() {
        Hub hub = hub();
        hub.subscribe(new RecordingEndpoint("s1", new Participant("web", "alice", "Alice")), "room");
        hub.subscribe(new RecordingEndpoint("s2", new Participant("web", "alice", "Alice")), "room");
        hub.subscribe(new RecordingEndpoint("s3"), "room");
        Participant dave = new Participant("xmpp", "room@muc/dave", "dave");
        hub.participantJoined("room", dave);

        assertEquals(List.of(new Participant("web", "alice", "Alice"), new Participant("web", "s3", "s3"), dave),
                hub.participants("room"));
    }

    @Test
    void theRosterFollowsPresence() {
        Hub hub = hub();
        RecordingEndpoint alice = new RecordingEndpoint("s1", new Participant("web", "alice", "Alice"));
        assertEquals(List.of(), hub.participants("room"));
        assertFalse(hub.isPresent("room"));

        hub.subscribe(alice, "room");
        assertEquals(List.of(alice.participant()), hub.participants("room"));
        assertTrue(hub.isPresent("room"));

        hub.unsubscribe(alice, "room");
        assertEquals(List.of(), hub.participants("room"));
        assertFalse(hub.isPresent("room"));
    }

    @Test
    void presenceEventsAndSnapshotsShowWhatTheEndpointPresents() {
        Hub hub = hub();
        RecordingEndpoint alice = new RecordingEndpoint("s1", new Participant("web", "alice", "Alice"));
        RecordingEndpoint bob = new RecordingEndpoint("s2");
        hub.subscribe(bob, "room");
        hub.subscribe(alice, "room");
        hub.unsubscribe(alice, "room");

        assertEquals(List.of(new PresenceEvent("room", alice.participant(), PresenceEvent.Kind.JOINED, true, alice.id()),
                new PresenceEvent("room", alice.participant(), PresenceEvent.Kind.LEFT, true, alice.id())), bob.presence().drain());
        assertEquals(List.of(bob.participant()), hub.ops().channelSnapshots().get(0).participants());
    }
}
