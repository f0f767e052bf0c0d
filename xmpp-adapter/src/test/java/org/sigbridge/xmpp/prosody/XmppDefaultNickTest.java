package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.LegState;
import org.sigbridge.testing.Envelopes;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.xmpp.NativeXmppUser;

/**
 * Two bridges started from one config that names no nick and keeps the built-in bridge name (as the shipped
 * examples do) sit in one Prosody room as two occupants, {@code sigbridge-xxxx} each (conf/reference/xmpp.md,
 * {@code nick}): no shared nick, both legs READY, and each delivers the other's messages.
 */
@Timeout(60)
class XmppDefaultNickTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @Test
    void twoInstancesOfOneConfigJoinARoomUnderTwoNicks() throws Exception {
        try (BridgeUnderTest a = BridgeUnderTest.start(PROSODY.server(), "sigbridge", "");
             BridgeUnderTest b = BridgeUnderTest.start(PROSODY.server(), "sigbridge", "");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "twins", "bob")) {
            RecordingEndpoint onA = a.browser("on-a", "twins");
            RecordingEndpoint onB = b.browser("on-b", "twins");
            LegState readyA = a.awaitRoomsJoined(1, WAIT);
            LegState readyB = b.awaitRoomsJoined(1, WAIT);
            String nickA = nickOf(readyA);
            String nickB = nickOf(readyB);
            assertTrue(nickA.matches("sigbridge-[a-z0-9]{4}"), readyA.detail());
            assertNotEquals(nickA, nickB, "one nick per instance");
            bob.awaitOccupant(nickA, WAIT);
            bob.awaitOccupant(nickB, WAIT);
            assertEquals(Set.of("bob", nickA, nickB), bob.occupantNicks());

            Envelope fromA = Envelopes.envelope("twins", "on-a", "{\"from\":\"a\"}");
            a.hub().publish(fromA, onA);
            assertEquals(fromA.id(), onB.envelopes().next(WAIT).id());
            assertEquals(nickA, bob.next(WAIT).getFrom().getResourceOrThrow().toString());
        }
    }

    /** The nick the leg detail names: {@code connected as …; nick N; rooms: …}. */
    private static String nickOf(LegState state) {
        String detail = state.detail();
        int at = detail.indexOf("; nick ");
        assertTrue(at >= 0, detail);
        return detail.substring(at + "; nick ".length(), detail.indexOf(';', at + 1));
    }
}
