package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.xmpp.NativeXmppUser;
import org.sigbridge.xmpp.mapping.SignalElement;

/**
 * Prosody stopped and started again under a running bridge. No fixed windows: while the server is down the
 * bridge's account gets another password, so after the restart the bridge keeps failing to log in (with
 * backoff) until the native observer has rejoined the room and the test restores the password.
 */
@Timeout(90)
class XmppAdapterOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ProsodyExtension prosody = new ProsodyExtension();

    @Test
    void reconnectsRejoinsAndDeliversEnvelopesSentDuringAnOutageExactlyOnceInOrder() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(prosody.server(), "outage", "pending-max-age: 60s")) {
            NativeXmppUser bob = NativeXmppUser.join(prosody.server(), "bob", "outage-1", "bob");
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
            NativeXmppUser observer = restartWithObserver(prosody.server(), bridge, "outage-1");
            try {
                bridge.awaitRoomsJoined(1, WAIT);
                assertEquals(ids, nextIds(observer, 3), "in order, each once");
                Envelope fence = XmppAdapterProsodyTest.envelope(bridge, "outage-1", "p", "\"fence\"", "browser-o");
                bridge.hub().publish(fence, browser);
                assertEquals(List.of(fence.id()), nextIds(observer, 1), "no duplicate before the next envelope");
                assertEquals(List.of(), browser.failures().drain());
            } finally {
                observer.close();
            }
        }
    }

    @Test
    void resendsAnEnvelopeWrittenJustBeforeTheConnectionDiedInsteadOfLosingIt() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(prosody.server(), "inflight", "pending-max-age: 60s")) {
            RecordingEndpoint browser = bridge.browser("browser-i", "inflight-1");
            long pid = Long.parseLong(Files.readString(prosody.server().directory().resolve("prosody.pid")).trim());

            signal("STOP", pid); // Prosody freezes: what the bridge writes now sits in a socket buffer, unread
            Envelope inFlight = XmppAdapterProsodyTest.envelope(bridge, "inflight-1", "p", "{\"in\":\"flight\"}", "browser-i");
            bridge.hub().publish(inFlight, browser);
            bridge.awaitCounter("sent", 1, WAIT); // handed to Smack, so no outbound queue holds it any more
            signal("KILL", pid); // ... and the server dies with it unread: no reflection will ever come
            prosody.server().stop();
            bridge.awaitLeg(LegState.Status.DOWN, WAIT);

            NativeXmppUser observer = restartWithObserver(prosody.server(), bridge, "inflight-1");
            try {
                assertEquals(List.of(inFlight.id()), nextIds(observer, 1), "sent again after the rejoin");
                assertEquals(1, bridge.counter("resent"));
                Envelope fence = XmppAdapterProsodyTest.envelope(bridge, "inflight-1", "p", "\"fence\"", "browser-i");
                bridge.hub().publish(fence, browser);
                assertEquals(List.of(fence.id()), nextIds(observer, 1), "exactly once");
                assertEquals(List.of(), browser.failures().drain());
            } finally {
                observer.close();
            }
        }
    }

    /**
     * Starts the server with the bridge's password changed, lets a native observer join {@code room} first,
     * then restores the password so the bridge logs in, rejoins and flushes into a room someone watches.
     */
    private static NativeXmppUser restartWithObserver(ProsodyServer server, BridgeUnderTest bridge, String room) throws Exception {
        server.registerUser("alice", "locked-out");
        server.start();
        bridge.awaitLeg(s -> s.status() == LegState.Status.DOWN && s.detail().contains("not-authorized"), "a refused login", WAIT);
        NativeXmppUser observer = NativeXmppUser.join(server, "bob", room, "observer");
        server.registerUser("alice", ProsodyServer.PASSWORD);
        return observer;
    }

    private static List<String> nextIds(NativeXmppUser client, int n) throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            got.add(client.next(WAIT).getExtension(SignalElement.class).id().orElseThrow());
        }
        return got;
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name + " " + pid);
    }
}
