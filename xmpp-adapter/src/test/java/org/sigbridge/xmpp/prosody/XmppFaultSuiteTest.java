package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.fault.FaultProxy;
import org.sigbridge.testkit.fault.Ledger;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.testkit.xmpp.NativeXmppUser;
import org.sigbridge.xmpp.mapping.SignalElement;

/**
 * The XMPP rows of the fault table (docs/reliability.md): a browser sends envelopes before, during and after a
 * fault between the bridge and Prosody; a native observer in the room receives them. Each case keeps a
 * {@link Ledger} of envelope ids and asserts lost = 0 (every envelope delivered, or its sender told by id) and no
 * duplicates; the table is printed when the class ends. Faults: Prosody restarted (SIGTERM), Prosody killed
 * (SIGKILL), and a 5 s network cut through a {@link FaultProxy} that TCP survives.
 */
@Timeout(120)
class XmppFaultSuiteTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PER_PHASE = 5;
    private static final List<String> ROWS = new ArrayList<>();

    @RegisterExtension
    final ProsodyExtension prosody = new ProsodyExtension();

    @AfterAll
    static void printTable() {
        System.out.println(Ledger.header());
        ROWS.forEach(System.out::println);
    }

    @Test
    void prosodyRestart() throws Exception {
        outage("xmpp: Prosody restart (SIGTERM)", false);
    }

    @Test
    void prosodyKill9() throws Exception {
        outage("xmpp: Prosody kill -9", true);
    }

    @Test
    void aFiveSecondCutBetweenBridgeAndProsody() throws Exception {
        Ledger ledger = new Ledger("xmpp: 5 s cut bridge <-> Prosody (proxy stall)");
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", prosody.server().port());
             BridgeUnderTest bridge = BridgeUnderTest.start(prosody.server(), "cut", "pending-max-age: 60s", proxy.port());
             NativeXmppUser observer = NativeXmppUser.join(prosody.server(), "bob", "cut-1", "observer")) {
            RecordingEndpoint browser = bridge.browser("browser-c", "cut-1");
            send(bridge, browser, "cut-1", ledger, "before");
            proxy.stall();
            send(bridge, browser, "cut-1", ledger, "during");
            TimeUnit.SECONDS.sleep(5); // the fault itself: five seconds of nothing crossing
            proxy.resume();
            send(bridge, browser, "cut-1", ledger, "after");
            settle(ledger, List.of(observer), browser);
        }
        finish(ledger);
    }

    private void outage(String name, boolean kill) throws Exception {
        Ledger ledger = new Ledger(name);
        ProsodyServer server = prosody.server();
        String room = kill ? "kill-1" : "restart-1";
        try (BridgeUnderTest bridge = BridgeUnderTest.start(server, kill ? "killed" : "restarted", "pending-max-age: 60s")) {
            NativeXmppUser before = NativeXmppUser.join(server, "bob", room, "bob");
            RecordingEndpoint browser = bridge.browser("browser-o", room);
            send(bridge, browser, room, ledger, "before");
            collect(ledger, before, PER_PHASE);
            before.close();
            if (kill) {
                long pid = Long.parseLong(Files.readString(server.directory().resolve("prosody.pid")).trim());
                Process p = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start();
                assertTrue(p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0, "kill -KILL " + pid);
            }
            server.stop();
            bridge.awaitLeg(LegState.Status.DOWN, WAIT);
            send(bridge, browser, room, ledger, "during");
            // restart with the bridge locked out until an observer sits in the room (as XmppAdapterOutageTest)
            server.registerUser("alice", "locked-out");
            server.start();
            bridge.awaitLeg(s -> s.status() == LegState.Status.DOWN && s.detail().contains("not-authorized"), "a refused login", WAIT);
            try (NativeXmppUser observer = NativeXmppUser.join(server, "bob", room, "observer")) {
                server.registerUser("alice", ProsodyServer.PASSWORD);
                bridge.awaitRoomsJoined(1, WAIT);
                send(bridge, browser, room, ledger, "after");
                settle(ledger, List.of(observer), browser);
            }
        }
        finish(ledger);
    }

    /** Publishes {@value #PER_PHASE} envelopes from the browser; those the hub accepts are sent, refusals reported. */
    private static void send(BridgeUnderTest bridge, RecordingEndpoint browser, String channel, Ledger ledger, String phase) {
        for (int i = 0; i < PER_PHASE; i++) {
            Envelope e = XmppAdapterProsodyTest.envelope(bridge, channel, "p", "{\"phase\":\"" + phase + "\",\"n\":" + i + "}",
                    browser.id());
            ledger.sent(e.id());
            if (!(bridge.hub().publish(e, browser) instanceof PublishResult.Published)) {
                ledger.reported(e.id(), "refused by the hub"); // refused synchronously: the sender is told at once
            }
        }
    }

    /** Takes {@code n} deliveries from {@code observer} into the ledger. */
    private static void collect(Ledger ledger, NativeXmppUser observer, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            ledger.delivered(observer.next(WAIT).getExtension(SignalElement.class).id().orElseThrow());
        }
    }

    /** Waits until every id sent is delivered or reported, then for stragglers (duplicates) a moment longer. */
    private static void settle(Ledger ledger, List<NativeXmppUser> observers, RecordingEndpoint browser) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ledger.settled() < ledger.sentCount() && System.nanoTime() < deadline) {
            for (DeliveryFailure f : browser.failures().drain()) {
                ledger.reported(f.envelopeId(), f.code().wire());
            }
            for (NativeXmppUser o : observers) {
                try {
                    ledger.delivered(o.next(Duration.ofMillis(200)).getExtension(SignalElement.class).id().orElseThrow());
                } catch (AssertionError nothingYet) {
                    // polled again until the deadline
                }
            }
        }
        for (NativeXmppUser o : observers) {
            o.drain().forEach(m -> ledger.delivered(m.getExtension(SignalElement.class).id().orElseThrow()));
        }
        browser.failures().drain().forEach(f -> ledger.reported(f.envelopeId(), f.code().wire()));
    }

    private static void finish(Ledger ledger) {
        synchronized (ROWS) {
            ROWS.add(ledger.row());
        }
        System.out.println(ledger.row());
        assertEquals(List.of(), ledger.lost(), "lost (neither delivered nor reported to the sender)");
        assertEquals(List.of(), ledger.duplicated(), "delivered twice");
        assertInstanceOf(String.class, ledger.row());
    }
}
