package org.sigbridge.interop.xmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sigbridge.interop.xmpp.XmppBridge.WAIT;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.junit.EjabberdExtension;
import org.sigbridge.testkit.xmpp.NativeXmppUser;

/**
 * What a room's owner or moderator does to the bridge on a real ejabberd 23.01, and what the bridge does next
 * (docs/interop.md, "Kicks, bans, destroyed rooms, passwords"): a kick is rejoined after a backoff, a ban keeps
 * the room failing and what waits expires with the reason, a destroyed room is not re-created and later envelopes
 * are refused until the channel is opened afresh, and a password-protected room is joined with
 * {@code room-password} and refused without the right one. A native user ({@code bob}) creates each room, so he
 * owns it.
 */
@Timeout(60)
class EjabberdMucRulesInteropTest {

    private static final String ROOMS_IDLE = "rooms: 0 joined, 0 joining, 0 failing";

    @RegisterExtension
    static final EjabberdExtension EJABBERD = new EjabberdExtension(b -> b.users("carol"));

    @Test
    void rejoinsAfterABackoffWhenItsOwnerKicksItAndSaysSoInTheLegState() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "kick-1", "bob");
             XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "ej-kicked", "")) {
            RecordingEndpoint browser = bridge.browser("browser-k1", "kick-1");
            bob.awaitOccupant("ej-kicked", WAIT);

            bob.room().kickParticipant(Resourcepart.from("ej-kicked"), "testing");
            LegState out = bridge.awaitReport(s -> s.status() == LegState.Status.DOWN && s.detail().contains("kicked"), "DOWN, kicked");
            assertTrue(out.detail().contains("kick-1@conference.localhost") && out.detail().contains("status 307")
                    && out.detail().contains("\"testing\"") && out.detail().contains("rejoining in"), out.detail());
            bridge.awaitReport(s -> s.status() == LegState.Status.READY && s.detail().endsWith("rooms: 1 joined, 0 joining, 0 failing"),
                    "READY, back in");
            bob.awaitOccupant("ej-kicked", WAIT);

            bridge.hub().publish(bridge.envelope("kick-1", "alice", "\"after kick\"", browser.id()), browser);
            assertEquals("\"after kick\"", bob.next(WAIT).getBody());
            assertEquals(1, bridge.counter("membership_lost"));
            assertEquals(2, bridge.counter("joins"));
            assertEquals(List.of(), browser.failures().drain());
        }
    }

    @Test
    void keepsTheRoomFailingWhenBannedAndExpiresWhatWaitsNamingTheBan() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "ban-1", "bob");
             XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "ej-banned", "pending-max-age: 1s")) {
            RecordingEndpoint browser = bridge.browser("browser-b1", "ban-1");
            bob.awaitOccupant("ej-banned", WAIT);

            bob.room().banUser(JidCreate.entityBareFrom("alice@" + EJABBERD.server().domain()), "go away");
            bridge.awaitReport(s -> s.status() == LegState.Status.DOWN && s.detail().contains("banned by an admin"), "DOWN, banned");
            LegState refused = bridge.awaitReport(s -> s.detail().contains("forbidden"), "the rejoin refused");
            assertTrue(refused.detail().contains("ban-1@conference.localhost") && refused.detail().contains("lift the ban"),
                    refused.detail());

            Envelope waiting = bridge.envelope("ban-1", "alice", "\"let me in\"", browser.id());
            bridge.hub().publish(waiting, browser);
            DeliveryFailure expired = browser.failures().next(WAIT); // pending-max-age (1 s) must pass
            assertEquals(ErrorCode.EXPIRED, expired.code());
            assertEquals(waiting.id(), expired.envelopeId());
            assertTrue(expired.detail().contains("bans this bridge"), expired.detail());
        }
    }

    @Test
    void staysOutOfARoomItsOwnerDestroysRefusingEnvelopesUntilTheChannelIsOpenedAfresh() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "destroy-1", "bob");
             XmppBridge bridge = XmppBridge.start(EJABBERD.server(), "ej-destroyed", "")) {
            RecordingEndpoint browser = bridge.browser("browser-d1", "destroy-1");
            XmppBridge.awaitJoined(browser, p -> p.name().equals("bob"));

            bob.room().destroy("closing", null);
            assertEquals("bob", XmppBridge.awaitPresence(browser, PresenceEvent.Kind.LEFT).participant().name());
            LegState down = bridge.awaitReport(s -> s.status() == LegState.Status.DOWN && s.detail().contains("destroyed"),
                    "DOWN, room destroyed");
            assertTrue(down.detail().contains("destroy-1@conference.localhost") && down.detail().contains("\"closing\""),
                    down.detail());

            Envelope refused = bridge.envelope("destroy-1", "alice", "\"anyone?\"", browser.id());
            bridge.hub().publish(refused, browser);
            DeliveryFailure failure = browser.failures().next(WAIT);
            assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, failure.code());
            assertEquals(refused.id(), failure.envelopeId());
            assertTrue(failure.detail().contains("destroyed by its owner") && failure.detail().contains("close the channel"),
                    failure.detail());
            assertEquals(1, bridge.counter("joins"), "the room was not joined (so not re-created) again");
            assertEquals(1, bridge.counter("membership_lost"));

            bridge.hub().unsubscribe(browser, "destroy-1");
            bridge.awaitReport(s -> s.status() == LegState.Status.READY && s.detail().endsWith(ROOMS_IDLE),
                    "READY once the room's grace is over and it is released");
            RecordingEndpoint later = bridge.browser("browser-d2", "destroy-1"); // joins, and so creates the room again
            try (NativeXmppUser carol = NativeXmppUser.join(EJABBERD.server(), "carol", "destroy-1", "carol")) {
                carol.awaitOccupant("ej-destroyed", WAIT);
                bridge.hub().publish(bridge.envelope("destroy-1", "alice", "\"a new room\"", later.id()), later);
                assertEquals("\"a new room\"", carol.next(WAIT).getBody());
            }
            assertEquals(List.of(), later.failures().drain());
        }
    }

    @Test
    void joinsAPasswordProtectedRoomWithRoomPasswordAndNamesTheSettingWhenTheRoomRefusesIt() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(EJABBERD.server(), "bob", "pw-1", "bob")) {
            bob.protectRoom("s3cret room");
            try (XmppBridge wrong = XmppBridge.start(EJABBERD.server(), "ej-wrongkey", "room-password: guess")) {
                wrong.hub().subscribe(new RecordingEndpoint("browser-p1"), "pw-1");
                LegState down = wrong.awaitLeg(s -> s.status() == LegState.Status.DOWN && s.detail().contains("1 failing"),
                        "DOWN with a failing room");
                assertTrue(down.detail().contains("pw-1@conference.localhost") && down.detail().contains("not-authorized")
                        && down.detail().contains("room-password"), down.detail());
                assertFalse(down.detail().contains("guess"), "the password itself is never shown: " + down.detail());
            }
            try (XmppBridge right = XmppBridge.start(EJABBERD.server(), "ej-keyholder", "room-password: s3cret room")) {
                RecordingEndpoint browser = right.browser("browser-p2", "pw-1"); // waits for the room to be joined
                bob.awaitOccupant("ej-keyholder", WAIT);
                right.hub().publish(right.envelope("pw-1", "alice", "\"behind a password\"", browser.id()), browser);
                assertEquals("\"behind a password\"", bob.next(WAIT).getBody());
                assertEquals(List.of(), browser.failures().drain());
            }
        }
    }
}
