package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.jivesoftware.smack.packet.Presence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.xmpp.NativeXmppUser;
import org.sigbridge.xmpp.mapping.SignalElement;

/**
 * Password-protected rooms against a real Prosody (XEP-0045 §7.2.6, the {@code room-password} key of
 * conf/reference/xmpp.md): the bridge joins with the configured password; a wrong or missing one keeps the room
 * failing, the leg DOWN naming the setting, and what browsers send meanwhile expires with an error naming it.
 * A native user ({@code bob}) creates each room and sets its password as its owner.
 */
@Timeout(60)
class XmppRoomPasswordTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PASSWORD = "open sesame ✓";

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @Test
    void joinsAPasswordProtectedRoomWithTheConfiguredRoomPasswordAndRelays() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "pw-1", "bob")) {
            bob.protectRoom(PASSWORD);
            try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "keyholder", "room-password: " + PASSWORD)) {
                RecordingEndpoint browser = bridge.browser("browser-p1", "pw-1"); // waits for the room to be joined
                XmppAdapterMembershipTest.nextPresence(bob, "keyholder", Presence.Type.available);

                Envelope sent = XmppAdapterProsodyTest.envelope(bridge, "pw-1", "p", "{\"behind\":\"password\"}", "browser-p1");
                bridge.hub().publish(sent, browser);
                assertEquals(sent.id(), bob.next(WAIT).getExtension(SignalElement.class).id().orElseThrow());
                assertEquals(List.of(), browser.failures().drain());
            }
        }
    }

    @Test
    void keepsTheLegDownNamingRoomPasswordWhenTheRoomRefusesTheConfiguredOneAndExpiresWhatWaits() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "pw-2", "bob")) {
            bob.protectRoom(PASSWORD);
            try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "wrongkey",
                    "room-password: not the password\npending-max-age: 1s")) {
                RecordingEndpoint browser = subscribe(bridge, "browser-p2", "pw-2");

                LegState down = bridge.awaitLeg(s -> s.status() == LegState.Status.DOWN && s.detail().contains("1 failing"),
                        "DOWN with a failing room", WAIT);
                assertTrue(down.detail().contains("pw-2@conference.localhost") && down.detail().contains("not-authorized")
                        && down.detail().contains("refused the configured room-password"), down.detail());
                assertFalse(down.detail().contains("not the password"), "the password itself is never shown: " + down.detail());

                Envelope waiting = XmppAdapterProsodyTest.envelope(bridge, "pw-2", "p", "\"knock\"", "browser-p2");
                bridge.hub().publish(waiting, browser);
                DeliveryFailure expired = browser.failures().next(WAIT); // pending-max-age (1 s) must pass
                assertEquals(ErrorCode.EXPIRED, expired.code());
                assertEquals(waiting.id(), expired.envelopeId());
                assertTrue(expired.detail().contains("room-password"), expired.detail());
                assertEquals(List.of(), bob.drain(), "nothing reached the room");
            }
        }
    }

    @Test
    void saysRoomPasswordIsNotSetWhenAPasswordProtectedRoomRefusesABridgeWithout() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "pw-3", "bob")) {
            bob.protectRoom(PASSWORD);
            try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "keyless", "")) {
                subscribe(bridge, "browser-p3", "pw-3");
                LegState down = bridge.awaitLeg(s -> s.status() == LegState.Status.DOWN && s.detail().contains("1 failing"),
                        "DOWN with a failing room", WAIT);
                assertTrue(down.detail().contains("not-authorized") && down.detail().contains("room-password is not set"),
                        down.detail());
            }
        }
    }

    private static RecordingEndpoint subscribe(BridgeUnderTest bridge, String id, String channel) {
        RecordingEndpoint endpoint = new RecordingEndpoint(id);
        assertTrue(bridge.hub().subscribe(endpoint, channel) instanceof SubscribeResult.Subscribed);
        return endpoint;
    }
}
