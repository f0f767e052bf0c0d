package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.fault.Ledger;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.junit.RedisExtension;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.RedisServer;
import org.sigbridge.testkit.sip.ReceivedSipMessage;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * SIP dynamic members across instances (docs/cluster.md §2), through a real Kamailio (registrar and proxy): a real
 * JAIN-SIP user agent, registered there, writes to a SIP-routed channel whose AOR instance A registered, so it becomes a
 * member on A; envelope-dialect pages on A and B publish. The UA gets every envelope exactly once (from A, the instance
 * that learnt it: a ledger of ids), an envelope addressed to it from B reaches it once, and the page on B hears it. A
 * MESSAGE to an instance where no page has the channel open reaches the pages on the others.
 */
class SipMembersAcrossInstancesTest {

    private static final int PER_PAGE = 20;
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final RedisExtension redis = new RedisExtension();

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    /**
     * An instance with a web adapter and a SIP adapter whose proxy is the test's Kamailio, every channel on SIP. Only an
     * instance that registers channels gets the MESSAGEs Kamailio routes to a channel's AOR.
     */
    static String yaml(String name, RedisServer redis, int sipPort, int kamailioPort, boolean registerChannels) {
        return Instances.sipYaml(name, sipPort, kamailioPort, registerChannels, "    max-queued-per-member: 256\n",
                "    target: none\n", "  redis: " + redis.uri() + "\n" + Instances.FAST);
    }

    @Test
    void aUaThatWroteToOneInstanceGetsEveryPagesEnvelopeOnceAndIsHeardOnTheOther() throws Exception {
        int k = kamailio.server().port();
        try (TestBridge a = TestBridge.startYaml(yaml("a", redis.server(), FreePorts.tcpAndUdp(), k, true));
             TestBridge b = TestBridge.startYaml(yaml("b", redis.server(), FreePorts.tcpAndUdp(), k, false));
             WsClient pa = WsClient.envelopeOn(a.port(), "room");
             WsClient pb = WsClient.envelopeOn(b.port(), "room");
             SipUserAgent alice = SipUserAgent.start("alice", k)) {
            assertEquals(200, alice.register(SipTransport.UDP, WAIT));
            Instances.awaitRoster("room", 2, a, b);

            // The UA writes to the channel's AOR, which only A registered: a member on A, announced to B before its
            // envelope goes out.
            writeOnceRegistered(alice, "{\"id\":\"ua-0\",\"sender\":\"alice\",\"channel\":\"room\",\"message\":\"hello from alice\"}");
            Instances.awaitRoster("room", 3, a, b);
            Participant member = b.bridge().hub().participants("room").stream().filter(p -> p.adapter().equals("sip"))
                    .findFirst().orElseThrow();
            assertEquals("sip:alice@localhost", member.id(), "the member B lists is the UA A learnt");
            assertEquals("ua-0", pb.nextEnvelope(WAIT).get("id").asText(), "the page on B hears the UA");
            assertEquals("ua-0", pa.nextEnvelope(WAIT).get("id").asText());

            // Both pages publish; the UA is owed each envelope once: A sends its own page's and B's.
            Ledger ledger = new Ledger("sip member across instances");
            for (int i = 0; i < PER_PAGE; i++) {
                ledger.sent("a-" + i);
                pa.sendEnvelope("a-" + i, "pa", "room", "\"a" + i + "\"");
                ledger.sent("b-" + i);
                pb.sendEnvelope("b-" + i, "pb", "room", "\"b" + i + "\"");
            }
            Map<String, List<Integer>> order = new java.util.TreeMap<>(Map.of("a", new ArrayList<>(), "b", new ArrayList<>()));
            while (ledger.settled() < ledger.sentCount()) {
                ReceivedSipMessage m = alice.awaitMessage(WAIT);
                String id = JsonObjectReader.readObject(m.body()).get("id").asText();
                ledger.delivered(id);
                order.get(id.substring(0, 1)).add(Integer.parseInt(id.substring(2)));
            }
            assertNull(alice.received().poll(700, TimeUnit.MILLISECONDS), "nothing more: no instance sent a second copy");
            assertEquals(List.of(), ledger.lost(), ledger.row());
            assertEquals(List.of(), ledger.duplicated(), ledger.row());
            List<Integer> inOrder = java.util.stream.IntStream.range(0, PER_PAGE).boxed().toList();
            assertEquals(inOrder, order.get("a"), "the page on A, in its order");
            assertEquals(inOrder, order.get("b"), "the page on B, in its order");
            for (WsClient page : List.of(pa, pb)) {
                assertTrue(page.drain().stream().noneMatch(f -> f.containsKey("error")), "nothing reported to either page");
            }

            // Addressed to the UA from B: B has no SIP link to it; A sends it, once.
            RecordingEndpoint browser = new RecordingEndpoint(b.bridge().hub().endpointId("test"));
            b.bridge().hub().subscribe(browser, "room");
            Envelope offer = new Envelope("offer-1", "room", JsonValue.string("browser"), JsonValue.parse("{\"type\":\"offer\"}"),
                    new Origin(browser.adapter(), browser.id()), Instant.now(), member.id());
            assertInstanceOf(PublishResult.Published.class, b.bridge().hub().publish(offer, browser));
            ReceivedSipMessage got = alice.awaitMessage(WAIT);
            assertEquals("offer-1", JsonObjectReader.readObject(got.body()).get("id").asText());
            assertNull(alice.received().poll(700, TimeUnit.MILLISECONDS), "addressed: one copy");
            assertEquals(List.of(), browser.failures().drain());

            // The UA answers through A; B's page and browser hear it.
            assertEquals(200, alice.sendMessage("room", "application/json",
                    "{\"id\":\"ua-1\",\"sender\":\"alice\",\"channel\":\"room\",\"message\":{\"type\":\"answer\"}}", SipTransport.UDP, WAIT));
            assertEquals("ua-1", pb.next(f -> f.containsKey("message") && "ua-1".equals(f.get("id").asText()), WAIT).get("id").asText());
            assertEquals("ua-1", browser.envelopes().next(WAIT).id());
        }
    }

    /**
     * What the others do when the instance that holds a SIP member dies is what they do for any participant of it (the
     * kill itself is {@code CrossInstancePresenceTest}'s): its lease expires and its roster fields go, the SIP member's
     * with them. Here the lease and fields are removed from Redis while A lives (as when A starved past its lease): B
     * drops the member, and A, finding its lease gone, announces it again.
     */
    @Test
    void aSipMemberLeavesWithItsInstancesLeaseAndIsAnnouncedAgainWhenTheInstanceRenews() throws Exception {
        int k = kamailio.server().port();
        try (TestBridge a = TestBridge.startYaml(yaml("a", redis.server(), FreePorts.tcpAndUdp(), k, true));
             TestBridge b = TestBridge.startYaml(yaml("b", redis.server(), FreePorts.tcpAndUdp(), k, false));
             WsClient pa = WsClient.envelopeOn(a.port(), "room");
             WsClient pb = WsClient.envelopeOn(b.port(), "room");
             SipUserAgent alice = SipUserAgent.start("alice", k)) {
            assertEquals(200, alice.register(SipTransport.UDP, WAIT));
            Instances.awaitRoster("room", 2, a, b);
            writeOnceRegistered(alice, "{\"id\":\"ua-0\",\"sender\":\"alice\",\"channel\":\"room\",\"message\":0}");
            Instances.awaitRoster("room", 3, b);
            String aNode = a.bridge().hub().nodeId();
            String who = org.sigbridge.cluster.wire.ChannelKeys.of("sb", "room").who();
            String fields = redis.server().cli("HKEYS", who);
            assertTrue(fields.lines().anyMatch(f -> f.equals(aNode + " ~sip:alice@localhost")), "A holds the member: " + fields);

            String removed = redis.server().cli("EVAL", """
                    redis.call('DEL', KEYS[1])
                    for _, f in ipairs(redis.call('HKEYS', KEYS[2])) do
                      if string.sub(f, 1, #ARGV[1]) == ARGV[1] then redis.call('HDEL', KEYS[2], f) end
                    end
                    return 1""", "2", org.sigbridge.cluster.wire.ChannelKeys.lease("sb", aNode), who, aNode + " ");
            assertEquals("1", removed.trim(), "the script ran");
            Poll.until("A announces its page and its SIP member again", Duration.ofSeconds(30), Duration.ofMillis(50),
                    () -> redis.server().cli("HKEYS", who), f -> f.lines().anyMatch(l -> l.equals(aNode + " ~sip:alice@localhost")));
            Instances.awaitRoster("room", 3, b);

            // And A still sends B's envelopes to it, once.
            pb.sendEnvelope("b-0", "pb", "room", "0");
            assertEquals("b-0", JsonObjectReader.readObject(alice.awaitMessage(WAIT).body()).get("id").asText());
            assertNull(alice.received().poll(500, TimeUnit.MILLISECONDS), "once");
        }
    }

    /**
     * A MESSAGE that reaches an instance where no page has the channel open (B, as a proxy's dispatcher or a UA replying
     * to a Contact would send it; B registers no channel AOR) is accepted, not refused 404: B opens the shared channel for
     * the UA, holds it as a member, announces it before the envelope goes out, and the page on A hears it. The page's
     * reply reaches the UA once, from B, the instance that holds it.
     */
    @Test
    void aMessageToAnInstanceWithNoPageOnTheChannelReachesThePagesOnTheOthers() throws Exception {
        int k = kamailio.server().port();
        int bSip = FreePorts.tcpAndUdp();
        try (TestBridge a = TestBridge.startYaml(yaml("a", redis.server(), FreePorts.tcpAndUdp(), k, true));
             TestBridge b = TestBridge.startYaml(yaml("b", redis.server(), bSip, k, false));
             WsClient pa = WsClient.envelopeOn(a.port(), "room");
             SipUserAgent alice = SipUserAgent.start("alice", k)) {
            assertEquals(200, alice.register(SipTransport.UDP, WAIT));
            Instances.awaitRoster("room", 1, a);
            assertFalse(b.bridge().hub().isPresent("room"), "no page on B: the channel is not open there");

            int status = alice.sendMessageToUri("sip:room@127.0.0.1:" + bSip, "application/json",
                    "{\"id\":\"ua-b\",\"sender\":\"alice\",\"channel\":\"room\",\"message\":\"via b\"}", SipTransport.UDP, WAIT);
            assertTrue(status == 200 || status == 202, "accepted by B, not refused: " + status);
            assertEquals("ua-b", pa.nextEnvelope(WAIT).get("id").asText(), "the page on A hears the UA that wrote to B");
            Instances.awaitRoster("room", 2, a, b); // A's page and the UA B holds, on both
            assertTrue(a.bridge().hub().participants("room").stream().anyMatch(p -> p.id().equals("sip:alice@localhost")));

            pa.sendEnvelope("a-0", "pa", "room", "\"reply\"");
            assertEquals("a-0", JsonObjectReader.readObject(alice.awaitMessage(WAIT).body()).get("id").asText());
            assertNull(alice.received().poll(500, TimeUnit.MILLISECONDS), "once");
            assertTrue(pa.drain().stream().noneMatch(f -> f.containsKey("error")), "nothing reported to the page");
        }
    }

    /**
     * The instance that holds a SIP member refuses an envelope another instance accepted (here A's {@code max-body-bytes}
     * is smaller than B's, as when two instances' configs drift): the sender, a page on B, is told by envelope id, in its
     * protocol's terms, through the cluster (docs/cluster.md §2), and the UA gets nothing.
     */
    @Test
    void aRefusalByTheInstanceThatHoldsTheMemberReachesTheSenderOnTheOtherInstance() throws Exception {
        int k = kamailio.server().port();
        String cluster = "  redis: " + redis.server().uri() + "\n" + Instances.FAST;
        String small = "    max-queued-per-member: 256\n    max-body-bytes: 1024\n";
        try (TestBridge a = TestBridge.startYaml(Instances.sipYaml("a", FreePorts.tcpAndUdp(), k, true, small, "    target: none\n", cluster));
             TestBridge b = TestBridge.startYaml(yaml("b", redis.server(), FreePorts.tcpAndUdp(), k, false));
             WsClient pa = WsClient.envelopeOn(a.port(), "room");
             WsClient pb = WsClient.envelopeOn(b.port(), "room");
             SipUserAgent alice = SipUserAgent.start("alice", k)) {
            assertEquals(200, alice.register(SipTransport.UDP, WAIT));
            Instances.awaitRoster("room", 2, a, b);
            writeOnceRegistered(alice, "{\"id\":\"ua-0\",\"sender\":\"alice\",\"channel\":\"room\",\"message\":\"hello\"}");
            Instances.awaitRoster("room", 3, a, b); // the UA is A's member, listed on B
            assertEquals("ua-0", pb.nextEnvelope(WAIT).get("id").asText());

            pb.sendEnvelope("big-1", "pb", "room", "\"" + "x".repeat(1500) + "\"");
            Map<String, JsonValue> error = pb.nextError(WAIT);
            assertEquals("big-1", error.get("id").asText(), "the sender is told which envelope: " + error);
            assertEquals("too_large", error.get("code").asText(), error.toString());
            assertNull(alice.received().poll(500, TimeUnit.MILLISECONDS), "the UA got nothing");

            pb.sendEnvelope("small-1", "pb", "room", "\"fits\"");
            assertEquals("small-1", JsonObjectReader.readObject(alice.awaitMessage(WAIT).body()).get("id").asText(),
                    "what fits still goes");
        }
    }

    /** Sends the MESSAGE once A's registration of the channel AOR is in Kamailio (404 until then: nothing published). */
    private static void writeOnceRegistered(SipUserAgent ua, String body) throws Exception {
        Poll.until("Kamailio routes the channel AOR to a", WAIT, Duration.ofMillis(100),
                () -> ua.sendMessage("room", "application/json", body, SipTransport.UDP, WAIT), status -> status == 200);
    }
}
