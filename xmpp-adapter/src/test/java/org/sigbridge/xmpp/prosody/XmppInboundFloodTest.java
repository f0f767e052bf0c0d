package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.testing.Envelopes;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.HealthProbe;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.testkit.xmpp.NativeXmppUser;
import org.sigbridge.xmpp.XmppAdapterFactory;

/**
 * An XMPP stanza flood from a room (docs/reliability.md, "Load limits"; conf/reference/xmpp.md "Inbound limit"): a
 * native occupant (a Smack client) sends groupchat messages as fast as its connection takes them into a room a
 * browser's channel is routed to, while a well-behaved occupant says one message at a time. Beyond
 * {@code inbound-limit.occupant-per-second} the flooder's messages are refused before the adapter's worker, counted in
 * {@code sigbridge_xmpp_inbound_refused_total{reason="occupant_rate"}} and answered with a {@code <policy-violation/>}
 * message error; every message of the well-behaved occupant reaches the browser; {@code /healthz} keeps answering
 * ({@link HealthProbe}, latencies printed, not asserted); and every flood message is either delivered or counted as
 * refused (the ledger: sent = delivered + refused).
 */
@Timeout(180)
class XmppInboundFloodTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int PROBES = 20;
    private static final int CALM_MESSAGES = 10;
    /** Flood messages the flooder may have sent ahead of their reflections. */
    private static final int FLOOD_WINDOW = 200;

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension(b -> b.users("carol"));

    @Test
    void aFloodingOccupantIsRefusedAndAnsweredWhileOthersAreDeliveredAndHealthAnswers() throws Exception {
        ProsodyServer server = PROSODY.server();
        try (var bridge = org.sigbridge.testkit.bridge.BridgeUnderTest.fromYaml(config(server),
                Map.of("XMPP_PASSWORD", "secret"), List.of(new XmppAdapterFactory()));
             NativeXmppUser flooder = NativeXmppUser.join(server, "bob", "flood-1", "flooder");
             NativeXmppUser calm = NativeXmppUser.join(server, "carol", "flood-1", "calm")) {
            RecordingEndpoint browser = new RecordingEndpoint("browser-1");
            assertTrue(bridge.hub().subscribe(browser, "flood-1") instanceof SubscribeResult.Subscribed);
            bridge.awaitLeg("xmpp", s -> s.status() == LegState.Status.READY && s.detail().endsWith("rooms: 1 joined, 0 joining, 0 failing"),
                    "the room joined", WAIT);

            // The room reflects the flooder's messages to it in order (XEP-0045 §7.2.2), after sending them to the
            // other occupants: its reflections tell how far Prosody has got through the flood.
            AtomicInteger reflected = new AtomicInteger();
            flooder.room().addMessageListener(m -> {
                if (m.getBody() != null && m.getBody().startsWith("{\"flood\":") && "flooder".equals(String.valueOf(m.getFrom().getResourceOrNull()))) {
                    reflected.incrementAndGet();
                    synchronized (reflected) {
                        reflected.notifyAll();
                    }
                }
            });
            LinkedBlockingQueue<Message> errors = new LinkedBlockingQueue<>();
            flooder.connection().addAsyncStanzaListener(s -> errors.add((Message) s), MessageTypeFilter.ERROR);

            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            Thread flood = new Thread(() -> {
                try {
                    while (flooding.get()) {
                        // At most FLOOD_WINDOW ahead of the room's reflections: still far above the limit (Prosody's
                        // own pace), but Prosody's backlog stays bounded, so the flood settles soon after it stops.
                        synchronized (reflected) {
                            while (flooding.get() && sent.get() - reflected.get() >= FLOOD_WINDOW) {
                                reflected.wait(100);
                            }
                        }
                        flooder.say("{\"flood\":" + sent.get() + "}");
                        sent.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "flooder");
            int calmDelivered = 0;
            HealthProbe.Summary health;
            try (HealthProbe probe = HealthProbe.start(URI.create("http://127.0.0.1:" + bridge.opsPort() + "/healthz"))) {
                Poll.until("a first /healthz answer (before the flood: connection set-up)", WAIT, () -> probe.answered() >= 1);
                int from = probe.answered();
                flood.start();
                Poll.until("the bridge refusing the flood", WAIT, () -> bridge.sample(REFUSED_OCCUPANT) > 0);
                // The well-behaved occupant says one message, and the next once the browser has it.
                for (int i = 0; i < CALM_MESSAGES; i++) {
                    calm.say("{\"calm\":" + i + "}");
                    calmDelivered += awaitCalm(browser, i);
                }
                Poll.until(PROBES + " /healthz answers during the flood", WAIT, () -> probe.answered() >= from + PROBES);
                health = probe.summarySince(from);
            } finally {
                flooding.set(false);
                flood.join(10_000);
            }
            assertEquals(CALM_MESSAGES, calmDelivered, "every message of the well-behaved occupant reached the browser");

            Message error = errors.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(error != null, "the flooder got no message error");
            assertEquals(StanzaError.Condition.policy_violation, error.getError().getCondition(), error.toXML().toString());
            assertEquals(StanzaError.Type.WAIT, error.getError().getType());

            // The ledger: each flood message was delivered to the browser or refused (counted), none lost.
            int total = sent.get();
            // Prosody works through a flood at its own pace on a loaded machine: wait until it has relayed all of it.
            Poll.until("Prosody relaying all " + total + " flood messages (reflected to the flooder so far: " + reflected + ")",
                    Duration.ofSeconds(90), () -> reflected.get() >= total);
            int delivered = awaitDeliveredOrRefused("every flood message delivered or refused", WAIT, total, browser, bridge);
            long refused = (long) bridge.sample(REFUSED_OCCUPANT);
            System.out.println("| XMPP groupchat flood from one occupant, inbound-limit occupant-per-second 20 (burst 20): "
                    + total + " sent, " + delivered + " delivered, " + refused + " refused (occupant_rate), "
                    + calmDelivered + "/" + CALM_MESSAGES + " of a well-behaved occupant delivered | " + health + " |");
            assertEquals(total, delivered + refused, "sent = delivered + refused");
            assertTrue(refused > 0 && delivered > 0, "some delivered, some refused: " + delivered + " / " + refused);
            assertTrue(health.ok() >= PROBES, "/healthz did not answer during the flood: " + health);
            assertEquals(0, (long) bridge.sample(REFUSED_ROOM) + (long) bridge.sample(REFUSED_QUEUE), "only the flooder's rate refused");
        }
    }

    /**
     * {@code per-user} mode: private messages (XEP-0045 §7.5) to a browser user's own occupant arrive through that
     * occupant's session, not the bridge's, and pass the same limit in the sender's bucket. A native occupant floods
     * alice's occupant with private messages while another writes to it one message at a time: the flood beyond
     * {@code occupant-per-second} is refused, counted and answered with {@code <policy-violation/>} from alice's
     * occupant; every calm message reaches alice's browser; sent = delivered + refused.
     */
    @Test
    void privateMessagesToAPerUserOccupantPassTheSameLimit() throws Exception {
        ProsodyServer server = PROSODY.server();
        try (var bridge = org.sigbridge.testkit.bridge.BridgeUnderTest.fromYaml(config(server, "occupants: per-user"),
                Map.of("XMPP_PASSWORD", "secret"), List.of(new XmppAdapterFactory()));
             NativeXmppUser flooder = NativeXmppUser.join(server, "bob", "pflood-1", "flooder");
             NativeXmppUser calm = NativeXmppUser.join(server, "carol", "pflood-1", "calm")) {
            RecordingEndpoint browser = new RecordingEndpoint("alice-1");
            assertTrue(bridge.hub().subscribe(browser, "pflood-1") instanceof SubscribeResult.Subscribed);
            // alice's first envelope opens her own occupant; private messages to it then reach this browser
            bridge.hub().publish(new Envelope(bridge.hub().envelopeIds().next(), "pflood-1", JsonValue.string("alice"),
                    Envelopes.json("{\"hello\":1}"), new Origin("web", browser.id()), Instant.now()), browser);
            flooder.awaitOccupant("alice", WAIT);
            EntityFullJid alice = JidCreate.entityFullFrom(flooder.room().getRoom(), Resourcepart.from("alice"));
            LinkedBlockingQueue<Message> errors = new LinkedBlockingQueue<>();
            flooder.connection().addAsyncStanzaListener(st -> errors.add((Message) st), MessageTypeFilter.ERROR);

            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            Thread flood = new Thread(() -> {
                try {
                    while (flooding.get() && sent.get() < PRIVATE_FLOOD_MAX) {
                        flooder.connection().sendStanza(privateMessage(alice, "{\"flood\":" + sent.get() + "}"));
                        sent.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "private-flooder");
            int calmDelivered = 0;
            try {
                flood.start();
                Poll.until("the bridge refusing the private flood", WAIT, () -> bridge.sample(REFUSED_OCCUPANT) > 0);
                for (int i = 0; i < CALM_MESSAGES; i++) {
                    calm.connection().sendStanza(privateMessage(alice, "{\"calm\":" + i + "}"));
                    calmDelivered += awaitCalm(browser, i);
                }
            } finally {
                flooding.set(false);
                flood.join(10_000);
            }
            assertEquals(CALM_MESSAGES, calmDelivered, "every private message of the well-behaved occupant reached the browser");

            Message error = errors.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(error != null, "the flooder got no message error");
            assertEquals(StanzaError.Condition.policy_violation, error.getError().getCondition(), error.toXML().toString());
            assertEquals(StanzaError.Type.WAIT, error.getError().getType());
            assertEquals(alice, error.getFrom(), "the answer comes from the occupant written to");

            int total = sent.get();
            int delivered = awaitDeliveredOrRefused("every private flood message delivered or refused", Duration.ofSeconds(60), total, browser, bridge);
            long refused = (long) bridge.sample(REFUSED_OCCUPANT);
            System.out.println("| XMPP private-message flood to a per-user occupant, inbound-limit occupant-per-second 20 (burst 20): "
                    + total + " sent, " + delivered + " delivered, " + refused + " refused (occupant_rate), "
                    + calmDelivered + "/" + CALM_MESSAGES + " of a well-behaved occupant delivered |");
            assertEquals(total, delivered + refused, "sent = delivered + refused");
            assertTrue(refused > 0 && delivered > 0, "some delivered, some refused: " + delivered + " / " + refused);
            assertEquals(0, (long) bridge.sample(REFUSED_ROOM) + (long) bridge.sample(REFUSED_QUEUE), "only the flooder's rate refused");
        }
    }

    /** Private messages the flooder sends at most: far above the limit, few enough for Prosody to relay in seconds. */
    private static final int PRIVATE_FLOOD_MAX = 200;

    /** A private message to a room occupant (XEP-0045 §7.5), with the MUC user marker a client adds. */
    private static Message privateMessage(EntityFullJid to, String body) {
        return StanzaBuilder.buildMessage().ofType(Message.Type.chat).to(to).setBody(body)
                .addExtension(new MUCUser()).build();
    }

    private static final String REFUSED_OCCUPANT = "sigbridge_xmpp_inbound_refused_total{adapter=\"xmpp\",reason=\"occupant_rate\"}";
    private static final String REFUSED_ROOM = "sigbridge_xmpp_inbound_refused_total{adapter=\"xmpp\",reason=\"room_rate\"}";
    private static final String REFUSED_QUEUE = "sigbridge_xmpp_inbound_refused_total{adapter=\"xmpp\",reason=\"queue_full\"}";

    /** Waits for the well-behaved occupant's message {@code i}, taking flood messages on the way; 1 when it came. */
    private int awaitCalm(RecordingEndpoint browser, int i) {
        String want = "{\"calm\":" + i + "}";
        while (true) {
            Envelope e = browser.envelopes().next(WAIT);
            if (e.message().json().equals(want)) {
                return 1;
            }
            if (!e.message().json().startsWith("{\"flood\"")) {
                throw new AssertionError("unexpected envelope " + e);
            }
            floodDelivered.incrementAndGet();
        }
    }

    /** Flood messages the browser got. */
    private final AtomicInteger floodDelivered = new AtomicInteger();

    /**
     * Counts the flood messages reaching {@code browser} until they and the ones the bridge refused add up to
     * {@code total}; returns how many were delivered.
     */
    private int awaitDeliveredOrRefused(String what, Duration timeout, int total, RecordingEndpoint browser,
            org.sigbridge.testkit.bridge.BridgeUnderTest bridge) throws Exception {
        Poll.until(what, timeout, () -> {
            for (Envelope e : browser.envelopes().drain()) {
                if (e.message().json().startsWith("{\"flood\"")) {
                    floodDelivered.incrementAndGet();
                }
            }
            return floodDelivered.get() + (long) bridge.sample(REFUSED_OCCUPANT) >= total;
        });
        return floodDelivered.get();
    }

    private static String config(ProsodyServer server) {
        return config(server, "");
    }

    /** {@code extra}: more keys of the xmpp section, e.g. {@code occupants: per-user}. */
    private static String config(ProsodyServer server, String extra) {
        return """
                bridge:
                  name: flood
                  shutdown-grace: 2s
                  ops:
                    port: 0
                adapters:
                  xmpp:
                    type: xmpp
                    host: 127.0.0.1
                    port: %d
                    domain: %s
                    username: alice
                    password: ${XMPP_PASSWORD}
                    tls: disabled
                    muc-service: %s
                    inbound-limit:
                      occupant-per-second: 20
                      occupant-burst: 20
                %s
                routes:
                  - match: "*"
                    to: xmpp
                    target: "{channel}@%s"
                """.formatted(server.port(), server.domain(), server.mucService(), extra.indent(4), server.mucService());
    }
}
