package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smackx.muc.Occupant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.xmpp.NativeXmppUser;
import org.sigbridge.xmpp.mapping.OriginIdElement;
import org.sigbridge.xmpp.mapping.SignalElement;

/**
 * Room membership against a real Prosody: kicks, voice, members-only rooms, the grace period, self-ping,
 * anonymous per-user seats and duplicate suppression. A native user ({@code bob}) creates each room first,
 * so he owns it and can do to the bridge what an owner or moderator can.
 */
@Timeout(60)
class XmppAdapterMembershipTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @Test
    void rejoinsAfterTheRoomOwnerKicksTheBridgeAndKeepsRelaying() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "kick-1", "bob");
             BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "kicked", "")) {
            RecordingEndpoint browser = bridge.browser("browser-k", "kick-1");
            nextPresence(bob, "kicked", Presence.Type.available);

            bob.room().kickParticipant(Resourcepart.from("kicked"), "testing");
            nextPresence(bob, "kicked", Presence.Type.unavailable);
            nextPresence(bob, "kicked", Presence.Type.available); // back in, unasked

            Envelope after = XmppAdapterProsodyTest.envelope(bridge, "kick-1", "p", "{\"after\":\"kick\"}", "browser-k");
            bridge.hub().publish(after, browser);
            assertEquals(after.id(), bob.next(WAIT).getExtension(SignalElement.class).id().orElseThrow());
            assertEquals(1, bridge.counter("membership_lost"));
            assertEquals(2, bridge.counter("joins"));
            assertEquals(List.of(), browser.failures().drain());
        }
    }

    @Test
    void reportsAMessageTheRoomRefusesAsUpstreamRejectedByEnvelopeId() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "voice-1", "bob");
             BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "mute", "")) {
            RecordingEndpoint browser = bridge.browser("browser-v", "voice-1");
            bob.room().revokeVoice(Resourcepart.from("mute")); // a visitor may not speak: Prosody bounces "forbidden"

            Envelope refused = XmppAdapterProsodyTest.envelope(bridge, "voice-1", "p", "{\"n\":1}", "browser-v");
            bridge.hub().publish(refused, browser);

            DeliveryFailure failure = browser.failures().next(WAIT);
            assertEquals(ErrorCode.UPSTREAM_REJECTED, failure.code());
            assertEquals(refused.id(), failure.envelopeId());
            assertTrue(failure.detail().contains("forbidden"), failure.detail());
            assertEquals(1, bridge.counter("upstream_errors"));
            assertEquals(0, bridge.counter("membership_lost"), "a refusal is not a lost membership");
        }
    }

    @Test
    void reportsTheLegDownWhileARoomRefusesTheBridgeAndReadyOnceItLetsItIn() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "members-1", "bob");
             BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "outsider", "")) {
            bob.room().getConfigFormManager().makeMembersOnly().submitConfigurationForm();
            subscribe(bridge, "browser-m1", "members-1");

            LegState down = bridge.awaitLeg(s -> s.status() == LegState.Status.DOWN && s.detail().contains("1 failing"),
                    "DOWN with a failing room", WAIT);
            assertTrue(down.detail().contains("members-1@conference.localhost") && down.detail().contains("registration-required"),
                    down.detail());
            assertTrue(bridge.scrape().contains("sigbridge_xmpp_rooms{adapter=\"xmpp\",state=\"failing\"} 1"),
                    "the failing room is counted in /metrics");

            bob.room().grantMembership(JidCreate.bareFrom("alice@localhost"));
            bridge.awaitRoomsJoined(1, WAIT);
            nextPresence(bob, "outsider", Presence.Type.available);
        }
    }

    @Test
    void refusesTheEnvelopeBeyondTheWaitQueueAsUpstreamUnavailableAndSendsTheRestOnJoin() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "members-2", "bob");
             BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "queued", "pending-queue-size: 2\npending-max-age: 60s")) {
            bob.room().getConfigFormManager().makeMembersOnly().submitConfigurationForm();
            RecordingEndpoint browser = subscribe(bridge, "browser-m2", "members-2");
            bridge.awaitLeg(s -> s.detail().contains("1 failing"), "a failing room", WAIT);

            Envelope first = XmppAdapterProsodyTest.envelope(bridge, "members-2", "p", "1", "browser-m2");
            Envelope second = XmppAdapterProsodyTest.envelope(bridge, "members-2", "p", "2", "browser-m2");
            Envelope third = XmppAdapterProsodyTest.envelope(bridge, "members-2", "p", "3", "browser-m2");
            bridge.hub().publish(first, browser);
            bridge.hub().publish(second, browser);
            bridge.hub().publish(third, browser);

            DeliveryFailure overflow = browser.failures().next(WAIT);
            assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, overflow.code());
            assertEquals(third.id(), overflow.envelopeId());

            bob.room().grantMembership(JidCreate.bareFrom("alice@localhost"));
            assertEquals(first.id(), bob.next(WAIT).getExtension(SignalElement.class).id().orElseThrow());
            assertEquals(second.id(), bob.next(WAIT).getExtension(SignalElement.class).id().orElseThrow());
            assertEquals(List.of(), browser.failures().drain());
        }
    }

    @Test
    void reportsAnEnvelopeThatWaitedLongerThanPendingMaxAgeAsExpiredAndNeverSendsIt() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "members-3", "bob");
             BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "late", "pending-max-age: 1s")) {
            bob.room().getConfigFormManager().makeMembersOnly().submitConfigurationForm();
            RecordingEndpoint browser = subscribe(bridge, "browser-m3", "members-3");
            Envelope stale = XmppAdapterProsodyTest.envelope(bridge, "members-3", "p", "\"stale\"", "browser-m3");
            bridge.hub().publish(stale, browser);

            DeliveryFailure expired = browser.failures().next(WAIT); // the 1 s limit must pass
            assertEquals(ErrorCode.EXPIRED, expired.code());
            assertEquals(stale.id(), expired.envelopeId());

            bob.room().grantMembership(JidCreate.bareFrom("alice@localhost"));
            bridge.awaitRoomsJoined(1, WAIT);
            Envelope fresh = XmppAdapterProsodyTest.envelope(bridge, "members-3", "p", "\"fresh\"", "browser-m3");
            bridge.hub().publish(fresh, browser);
            assertEquals("\"fresh\"", bob.next(WAIT).getBody(), "the expired one was never sent: the next message is the fresh one");
        }
    }

    @Test
    void keepsTheRoomJoinedWhenItsChannelReopensWithinTheGracePeriodAndLeavesAfterIt() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "grace-1", "bob");
             BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "graceful", "room-grace: 2s")) {
            RecordingEndpoint first = bridge.browser("browser-g1", "grace-1");
            nextPresence(bob, "graceful", Presence.Type.available);

            bridge.hub().detach(first); // the channel closes: the room stays joined for 2 s
            RecordingEndpoint second = bridge.browser("browser-g2", "grace-1");
            Presence early = pollPresence(bob, "graceful", Duration.ofSeconds(3)); // the grace period must pass
            assertEquals(null, early, "the bridge never left the room");
            assertEquals(1, bridge.counter("joins"));

            bridge.hub().detach(second);
            nextPresence(bob, "graceful", Presence.Type.unavailable);
            bridge.awaitLeg(s -> s.status() == LegState.Status.READY && s.detail().endsWith("rooms: 0 joined, 0 joining, 0 failing"),
                    "no rooms", WAIT);
        }
    }

    @Test
    void staysJoinedWhileXep0410SelfPingsConfirmTheOccupant() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "pinger", "self-ping-interval: 100ms");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "ping-1", "bob")) {
            RecordingEndpoint browser = bridge.browser("browser-p", "ping-1");
            Presence left = pollPresence(bob, "pinger", Duration.ofSeconds(1)); // about ten self-ping periods
            assertEquals(null, left);
            assertEquals(0, bridge.counter("membership_lost"));
            assertEquals(1, bridge.counter("joins"));
            bridge.hub().publish(XmppAdapterProsodyTest.envelope(bridge, "ping-1", "p", "\"still here\"", "browser-p"), browser);
            assertEquals("\"still here\"", bob.next(WAIT).getBody());
        }
    }

    @Test
    void seatsEachPerUserSenderThroughAnAnonymousLoginWhenConfigured() throws Exception {
        String perUser = "occupants: per-user\nper-user-login: anonymous\nanonymous-domain: anon.localhost";
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "anon-1", "bob");
             BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "anon-bridge", perUser)) {
            RecordingEndpoint browser = bridge.browser("browser-a", "anon-1");
            bridge.hub().publish(XmppAdapterProsodyTest.envelope(bridge, "anon-1", "erin", "{\"hi\":\"erin\"}", "browser-a"), browser);

            Message fromErin = bob.next(WAIT);
            assertEquals("erin", fromErin.getFrom().getResourceOrThrow().toString());
            Occupant erin = bob.room().getOccupant(fromErin.getFrom().asEntityFullJidIfPossible());
            assertEquals("anon.localhost", erin.getJid().getDomain().toString(), "owner bob sees the real JID: " + erin.getJid());
        }
    }

    @Test
    void deliversAnEnvelopeIdOnceEvenWhenTheRoomCarriesItTwice() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "dedupe", "");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "dup-1", "bob")) {
            RecordingEndpoint browser = bridge.browser("browser-d", "dup-1");
            String id = bridge.hub().envelopeIds().next();
            bob.connection().sendStanza(signal(bob, "dup-1", id, "{\"copy\":1}")); // another bridge's resend after an outage
            bob.connection().sendStanza(signal(bob, "dup-1", id, "{\"copy\":1}"));
            bob.connection().sendStanza(signal(bob, "dup-1", bridge.hub().envelopeIds().next(), "{\"next\":2}"));

            Envelope once = browser.envelopes().next(WAIT);
            assertEquals(id, once.id());
            assertEquals("{\"next\":2}", browser.envelopes().next(WAIT).message().json(), "the repeat was dropped");
            assertEquals(1, bridge.counter("duplicates"));
        }
    }

    private static Message signal(NativeXmppUser from, String channel, String id, String json) throws Exception {
        MessageBuilder b = StanzaBuilder.buildMessage(id).ofType(Message.Type.groupchat).to(from.room().getRoom());
        b.addExtension(new SignalElement(channel, "remote-browser", null, id, json));
        b.addExtension(new OriginIdElement(id));
        return b.build();
    }

    private static RecordingEndpoint subscribe(BridgeUnderTest bridge, String id, String channel) {
        RecordingEndpoint endpoint = new RecordingEndpoint(id);
        assertTrue(bridge.hub().subscribe(endpoint, channel) instanceof SubscribeResult.Subscribed);
        return endpoint;
    }

    /** The next presence of occupant {@code nick} of the given type; fails after {@link #WAIT}. */
    static Presence nextPresence(NativeXmppUser client, String nick, Presence.Type type) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Presence p = client.presences().poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (p != null && p.getType() == type && nick.equals(String.valueOf(p.getFrom().getResourceOrNull()))) {
                return p;
            }
        }
        throw new AssertionError("no " + type + " presence of " + nick + " within " + WAIT);
    }

    /** An unavailable presence of {@code nick} within {@code quiet}, or null. */
    private static Presence pollPresence(NativeXmppUser client, String nick, Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            Presence p = client.presences().poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (p != null && p.getType() == Presence.Type.unavailable && nick.equals(String.valueOf(p.getFrom().getResourceOrNull()))) {
                return p;
            }
        }
        return null;
    }
}
