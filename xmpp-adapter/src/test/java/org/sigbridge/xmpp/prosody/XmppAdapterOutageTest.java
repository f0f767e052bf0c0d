package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.packet.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.recording.RecordingEndpoint;
import org.sigbridge.xmpp.mapping.SignalElement;

@Timeout(90)
class XmppAdapterOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ProsodyExtension prosody = new ProsodyExtension();

    @Test
    void reconnectsRejoinsAndDeliversEnvelopesSentDuringAnOutageExactlyOnce() throws Exception {
        // A fixed 3 s backoff window ([1.5 s, 3 s] with jitter) lets the native observer rejoin first.
        String backoff = "reconnect-backoff-base: 3s\nreconnect-backoff-cap: 3s\npending-max-age: 60s";
        try (BridgeUnderTest bridge = BridgeUnderTest.start(prosody.server(), "outage", backoff)) {
            NativeClient bob = NativeClient.join(prosody.server(), "bob", "outage-1", "bob");
            RecordingEndpoint browser = bridge.browser("browser-o", "outage-1");
            bridge.hub().publish(XmppAdapterProsodyTest.envelope(bridge, "outage-1", "p", "{\"n\":0}", "browser-o"), browser);
            assertEquals("{\"n\":0}", bob.next(WAIT).getBody());
            bob.close();

            prosody.server().stop();
            bridge.awaitLeg(LegState.Status.DOWN, WAIT);
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                Envelope e = XmppAdapterProsodyTest.envelope(bridge, "outage-1", "p", "{\"n\":" + i + "}", "browser-o");
                ids.add(e.id());
                bridge.hub().publish(e, browser);
            }
            prosody.server().start();
            bob = NativeClient.join(prosody.server(), "bob", "outage-1", "bob");
            try {
                bridge.awaitLeg(LegState.Status.READY, WAIT);
                List<String> got = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Message m = bob.next(WAIT);
                    got.add(m.getExtension(SignalElement.class).id().orElseThrow());
                }
                assertEquals(ids, got, "in order, each once");
                assertTrue(bob.messages.isEmpty() || bob.messages.stream().noneMatch(m -> m.getFrom().getResourceOrEmpty()
                        .toString().startsWith("outage")), "no duplicates");
                List<DeliveryFailure> failures = browser.failures().drain();
                assertEquals(List.of(), failures);
            } finally {
                bob.close();
            }
        }
    }
}
