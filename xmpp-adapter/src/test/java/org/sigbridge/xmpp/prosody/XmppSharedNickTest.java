package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.ops.Readiness;
import org.sigbridge.spi.LegState;
import org.sigbridge.testing.Envelopes;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.junit.ProsodyExtension;

/**
 * Two bridges started from one config (one account, one bridge name, hence one nick) in one room: Prosody lets
 * both sessions share the occupant (no XEP-0045 §7.2.9 conflict). Neither drops the other's messages as its own
 * reflections (reflections are recognised by XEP-0359 origin-id only), and both report the shared nick: the leg
 * is DOWN naming the room and the fix, so {@code /readyz} says not ready.
 */
@Timeout(60)
class XmppSharedNickTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @Test
    void twoBridgesWithOneConfigDeliverEachOthersMessagesAndReportTheSharedNick() throws Exception {
        try (BridgeUnderTest a = BridgeUnderTest.start(PROSODY.server(), "twin", "");
             BridgeUnderTest b = BridgeUnderTest.start(PROSODY.server(), "twin", "")) {
            RecordingEndpoint onA = a.browser("on-a", "shared");
            RecordingEndpoint onB = b.browser("on-b", "shared");

            Envelope fromA = Envelopes.envelope("shared", "on-a", "{\"from\":\"a\"}");
            a.hub().publish(fromA, onA);
            Envelope atB = onB.envelopes().next(WAIT);
            assertEquals(fromA.id(), atB.id());
            assertEquals("{\"from\":\"a\"}", atB.message().json());

            Envelope fromB = Envelopes.envelope("shared", "on-b", "{\"from\":\"b\"}");
            b.hub().publish(fromB, onB);
            Envelope atA = onA.envelopes().next(WAIT);
            assertEquals(fromB.id(), atA.id());

            onA.envelopes().expectNothing(Duration.ofMillis(500));
            onB.envelopes().expectNothing(Duration.ZERO);
            for (BridgeUnderTest bridge : List.of(a, b)) {
                LegState down = bridge.awaitLeg(s -> s.status() == LegState.Status.DOWN
                        && s.detail().contains("nick twin is also used by another session"), "DOWN for the shared nick", WAIT);
                assertTrue(down.detail().contains("shared@" + PROSODY.server().mucService()), down.detail());
                assertTrue(down.detail().contains("give each bridge its own nick"), down.detail());
                Readiness readiness = Readiness.of(List.copyOf(bridge.bridge.ops().legStates().values()), false);
                assertFalse(readiness.ready());
            }
        }
    }
}
