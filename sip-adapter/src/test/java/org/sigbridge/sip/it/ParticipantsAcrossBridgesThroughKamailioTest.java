package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.testing.Envelopes;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.KamailioExtension;

/**
 * Two bridges sharing a channel's AOR through a real Kamailio tell each other which pages they have (docs/design.md
 * §5.7): each lists the other's pages in the channel's roster before anyone has sent anything, a page joining or leaving
 * on one is a presence event for the pages on the other (RFC 4575 partial state), and an envelope addressed to a page
 * of the other bridge reaches it, again before that bridge has sent anything.
 */
class ParticipantsAcrossBridgesThroughKamailioTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    private final KamailioBridges bridges = new KamailioBridges(kamailio, WAIT);

    private BridgeUnderTest bridge(String user) throws Exception {
        return bridges.start(user);
    }

    private static boolean lists(BridgeUnderTest b, String id) {
        return b.hub().participants("duo").stream().anyMatch(p -> p.adapter().equals("sip") && p.id().equals(id));
    }

    /** The next presence event of {@code page} about a page (not the other bridge's contact joining as a SIP member). */
    private static PresenceEvent nextAboutAPage(RecordingEndpoint page) throws InterruptedException {
        PresenceEvent e = page.presence().next(WAIT);
        while (e.participant().id().startsWith("sip:")) {
            e = page.presence().next(WAIT);
        }
        return e;
    }

    @Test
    void eachBridgeListsTheOtherBridgesPagesAsTheyComeAndGoAndAddressesThem() throws Exception {
        try (BridgeUnderTest east = bridge("bridge-east"); BridgeUnderTest west = bridge("bridge-west")) {
            RecordingEndpoint alice = east.browser("alice", "duo");
            RecordingEndpoint bob = west.browser("bob", "duo");
            // whichever registered the AOR last is heard by the other, which answers with its own full state
            Poll.until("west lists east's alice", WAIT, () -> lists(west, "alice"));
            Poll.until("east lists west's bob", WAIT, () -> lists(east, "bob"));
            PresenceEvent seen = nextAboutAPage(alice);
            assertEquals(new Participant("sip", "bob", "bob"), seen.participant());
            assertEquals(PresenceEvent.Kind.JOINED, seen.kind());

            RecordingEndpoint carol = west.browser("carol", "duo");
            seen = nextAboutAPage(alice);
            assertEquals(new Participant("sip", "carol", "carol"), seen.participant());
            assertEquals(PresenceEvent.Kind.JOINED, seen.kind());
            west.hub().unsubscribe(carol, "duo");
            seen = nextAboutAPage(alice);
            assertEquals(new Participant("sip", "carol", "carol"), seen.participant());
            assertEquals(PresenceEvent.Kind.LEFT, seen.kind(), "a partial state with carol deleted");

            Envelope offer = new Envelope("env-" + System.nanoTime(), "duo", JsonValue.string("alice"), Envelopes.json("{\"type\":\"offer\"}"),
                    new Origin("web", alice.id()), Instant.now(), "bob");
            east.hub().publish(offer, alice);
            Envelope atBob = bob.envelopes().next(WAIT);
            assertEquals(offer.id(), atBob.id());
            assertEquals("bob", atBob.recipient());
            assertEquals(List.of(), alice.failures().drain(), "delivered: no failure reported");
            assertEquals(0, west.sip().stats().conferenceInfoRefused().sum() + east.sip().stats().conferenceInfoRefused().sum());
        }
    }
}
