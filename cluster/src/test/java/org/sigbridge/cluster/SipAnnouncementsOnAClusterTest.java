package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.Participant;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.Origin;
import org.sigbridge.sip.SipAdapter;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.web.TestBridge;

/**
 * Participant announcements (RFC 4575 conference-info, docs/design.md §5.7) on a cluster whose instances all register
 * the channel's AOR at a real Kamailio, with a real Redis (docs/cluster.md §2, "SIP announcements on a cluster"):
 * instances a and b ignore each other's documents (the node id they carry is a live instance of their cluster), so each
 * lists the other's pages once, through the cluster; a bridge c outside the cluster, bound to the same AOR, lists every
 * page of a and b; a page added on b is listed once on a and seen by c; envelopes addressed to a page on b, from a page
 * on a and from one on c, reach it once; a phone's MESSAGE without an envelope id, forked to every instance, reaches
 * each page once.
 */
class SipAnnouncementsOnAClusterTest {

    private static final String CHANNEL = "duo";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    /** An instance (with {@code clustered}) or a lone bridge: web and SIP, every channel on SIP to its own AOR. */
    private String yaml(String name, boolean clustered) {
        return Instances.sipYaml(name, FreePorts.tcpAndUdp(), kamailio.server().port(), true, "", "",
                clustered ? "  redis: " + redis.server().uri() + "\n" + Instances.FAST : null);
    }

    private static List<Participant> byAdapter(TestBridge b, String adapter) {
        return b.bridge().hub().participants(CHANNEL).stream().filter(p -> p.adapter().equals(adapter)).toList();
    }

    /** Pages another bridge announced (SIP participants that are no member's URI). */
    private static List<String> announcedPages(TestBridge b) {
        return byAdapter(b, "sip").stream().map(Participant::id).filter(id -> !id.startsWith("sip:")).sorted().toList();
    }

    private static String rosterOf(TestBridge b) {
        return b.bridge().hub().participants(CHANNEL).toString();
    }

    @Test
    void instancesOfOneClusterListEachOthersPagesOnceAndABridgeOutsideSeesThemAll() throws Exception {
        try (Instances cluster = new Instances()) {
            TestBridge a = cluster.startYaml(yaml("a", true));
            TestBridge b = cluster.startYaml(yaml("b", true));
            TestBridge c = cluster.startYaml(yaml("c", false));
            RecordingEndpoint pa = page(a);
            RecordingEndpoint pb = page(b);
            RecordingEndpoint pc = page(c);
            List<String> clusterPages = java.util.stream.Stream.of(pa, pb).map(p -> p.participant().id()).sorted().toList();
            String pcId = pc.participant().id();
            // c hears a's and b's documents; a and b hear c's.
            Poll.until("c lists the pages of a and b: " + rosterOf(c), WAIT, Duration.ofMillis(20), () -> announcedPages(c), l -> l.equals(clusterPages));
            for (TestBridge instance : List.of(a, b)) {
                Poll.until("the instance lists c's page: " + rosterOf(instance), WAIT, Duration.ofMillis(20), () -> announcedPages(instance),
                        l -> l.equals(List.of(pcId)));
            }
            // b adds a page: a partial document to the AOR, forked to a and c; a lists it once, through the cluster.
            long sentByB = sip(b).stats().conferenceInfoSent().sum();
            RecordingEndpoint pb2 = page(b);
            Poll.until("c lists b's second page", WAIT, Duration.ofMillis(20), () -> announcedPages(c).size(), n -> n == 3);
            Poll.until("b's document was answered by every binding of the AOR", WAIT, Duration.ofMillis(20),
                    () -> sip(b).stats().conferenceInfoSent().sum(), n -> n > sentByB);
            Instances.awaitRoster(CHANNEL, 3 + 2, a, b); // pa, pb, pb2 through the cluster; pc and c's contact over SIP
            for (TestBridge instance : List.of(a, b)) {
                assertEquals(List.of(pcId), announcedPages(instance), "only c's page is a SIP-announced page: " + rosterOf(instance));
                assertEquals(3, byAdapter(instance, "web").size(), "each instance's pages once: " + rosterOf(instance));
                assertEquals(1, byAdapter(instance, "sip").stream().filter(p -> p.id().startsWith("sip:")).count(),
                        "c's contact is the one SIP member (no instance of the cluster is one): " + rosterOf(instance));
            }

            // Addressed to pb: from a (through the cluster) and from c (over SIP, to the AOR): once each.
            assertInstanceOf(PublishResult.Published.class, a.bridge().hub().publish(addressed("to-pb-from-a", pa, pb), pa));
            assertInstanceOf(PublishResult.Published.class, c.bridge().hub().publish(addressed("to-pb-from-c", pc, pb), pc));
            List<String> got = new java.util.ArrayList<>(List.of(pb.envelopes().next(WAIT).id(), pb.envelopes().next(WAIT).id()));
            java.util.Collections.sort(got);
            assertEquals(List.of("to-pb-from-a", "to-pb-from-c"), got);
            pb.envelopes().expectNothing(Duration.ofMillis(500)); // no second copy
            assertEquals(0, pb2.envelopes().size(), "addressed to pb only");
            assertEquals(List.of(), pa.failures().drain());
            assertEquals(List.of(), pc.failures().drain());

            // A broadcast from c, forked to a and b through the AOR: every page of the cluster gets it once.
            Envelope hello = new Envelope("bcast-from-c", CHANNEL, JsonValue.string(pc.id()), JsonValue.parse("\"hello\""),
                    new Origin(pc.adapter(), pc.id()), Instant.now());
            assertInstanceOf(PublishResult.Published.class, c.bridge().hub().publish(hello, pc));
            for (RecordingEndpoint page : List.of(pa, pb, pb2)) {
                assertEquals("bcast-from-c", page.envelopes().next(WAIT).id());
            }
            for (RecordingEndpoint page : List.of(pa, pb, pb2)) {
                page.envelopes().expectNothing(Duration.ofMillis(300));
            }

            // A phone's MESSAGE that names no envelope id (text/plain), forked to a, b and c through the AOR: every
            // copy gets the request's own id, so each page gets it once (with an id issued per instance, a page got the
            // copy its own instance received and the other instance's over the cluster).
            try (SipUserAgent phone = SipUserAgent.start("phone", kamailio.server().port())) {
                assertEquals(200, phone.sendMessage(CHANNEL, "hi from a phone", SipTransport.UDP, WAIT));
                Envelope first = pa.envelopes().next(WAIT);
                assertEquals(JsonValue.string("hi from a phone"), first.message());
                assertTrue(first.id().startsWith("sip-"), first.id());
                for (RecordingEndpoint page : List.of(pb, pb2, pc)) {
                    assertEquals(first.id(), page.envelopes().next(WAIT).id());
                }
                for (RecordingEndpoint page : List.of(pa, pb, pb2, pc)) {
                    page.envelopes().expectNothing(Duration.ofMillis(500));
                }
            }
        }
    }

    private static RecordingEndpoint page(TestBridge bridge) {
        RecordingEndpoint page = new RecordingEndpoint(bridge.bridge().hub().endpointId("test"));
        assertInstanceOf(SubscribeResult.Subscribed.class, bridge.bridge().hub().subscribe(page, CHANNEL));
        return page;
    }

    private static SipAdapter sip(TestBridge bridge) {
        return (SipAdapter) bridge.bridge().adapter("sip").orElseThrow();
    }

    private static Envelope addressed(String id, RecordingEndpoint from, RecordingEndpoint to) throws Exception {
        return new Envelope(id, CHANNEL, JsonValue.string(from.id()), JsonValue.parse("{\"type\":\"offer\"}"),
                new Origin(from.adapter(), from.id()), Instant.now(), to.participant().id());
    }
}
