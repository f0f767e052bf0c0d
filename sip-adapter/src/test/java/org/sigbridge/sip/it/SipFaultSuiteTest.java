package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.DeliveryFailure;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.testing.Envelopes;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.fault.FaultProxy;
import org.sigbridge.testkit.fault.Ledger;
import org.sigbridge.testkit.junit.KamailioExtension;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.sip.ReceivedSipMessage;
import org.sigbridge.testkit.sip.SipTransport;
import org.sigbridge.testkit.sip.SipUserAgent;

/**
 * The SIP rows of the fault table (docs/reliability.md): a browser sends envelopes to a UA registered at a real
 * Kamailio, before, during and after a fault; the bridge reaches Kamailio over TCP only (registrations, keepalives
 * and MESSAGEs) through a {@link FaultProxy}. Each case keeps a {@link Ledger} and asserts lost = 0 (delivered, or
 * reported to the sender by envelope id) and no duplicates; the table is printed when the class ends. Faults: a
 * 5 s cut (the proxy stalls) and a Kamailio restart.
 */
@Timeout(120)
class SipFaultSuiteTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int PER_PHASE = 5;
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final List<String> ROWS = new ArrayList<>();

    @RegisterExtension
    final KamailioExtension kamailio = new KamailioExtension();

    @AfterAll
    static void printTable() {
        System.out.println(Ledger.header());
        ROWS.forEach(System.out::println);
    }

    @Test
    void aFiveSecondCutBetweenBridgeAndKamailio() throws Exception {
        Ledger ledger = new Ledger("sip: 5 s cut bridge <-> Kamailio (TCP, proxy stall)");
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", kamailio.server().port());
             BridgeUnderTest bridge = bridge(proxy.port());
             SipUserAgent alice = SipUserAgent.start("alice", kamailio.server().port())) {
            assertEquals(200, alice.register(SipTransport.UDP, WAIT));
            RecordingEndpoint browser = bridge.registeredBrowser("room1", WAIT);
            send(bridge, browser, ledger, "before");
            proxy.stall();
            send(bridge, browser, ledger, "during");
            TimeUnit.SECONDS.sleep(5); // the fault itself: five seconds of nothing crossing
            proxy.resume();
            bridge.awaitLeg(LegState.Status.READY, WAIT);
            send(bridge, browser, ledger, "after");
            settle(ledger, alice, browser);
        }
        finish(ledger);
    }

    @Test
    void kamailioRestart() throws Exception {
        Ledger ledger = new Ledger("sip: Kamailio restart (TCP)");
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", kamailio.server().port());
             BridgeUnderTest bridge = bridge(proxy.port());
             SipUserAgent alice = SipUserAgent.start("alice", kamailio.server().port())) {
            assertEquals(200, alice.register(SipTransport.UDP, WAIT));
            RecordingEndpoint browser = bridge.registeredBrowser("room1", WAIT);
            send(bridge, browser, ledger, "before");
            kamailio.server().stop();
            bridge.awaitLeg(LegState.Status.DOWN, WAIT);
            send(bridge, browser, ledger, "during");
            kamailio.server().start();
            bridge.awaitLeg(LegState.Status.READY, WAIT);
            bridge.awaitChannelRegistered("room1", WAIT);
            assertEquals(200, alice.register(SipTransport.UDP, WAIT)); // Kamailio keeps its location table in memory
            send(bridge, browser, ledger, "after");
            settle(ledger, alice, browser);
        }
        finish(ledger);
    }

    private static BridgeUnderTest bridge(int proxyPort) throws Exception {
        String yaml = """
                adapters:
                  sip:
                    type: sip
                    listen-port: ${PORT}
                    domain: localhost
                    proxy: 127.0.0.1:${KPORT}
                    username: bridge
                    register-transport: tcp
                    register-expires: 60s
                    keepalive-interval: 300ms
                    request-timeout: 2s
                routes:
                  - match: "*"
                    to: sip
                    target: sip:alice@localhost
                    options: {transport: tcp}
                """;
        BridgeUnderTest bridge = BridgeUnderTest.start(yaml, Map.of("PORT", Integer.toString(FreePorts.tcpAndUdp()),
                "KPORT", Integer.toString(proxyPort)));
        bridge.awaitLeg(LegState.Status.READY, WAIT);
        return bridge;
    }

    private static void send(BridgeUnderTest bridge, RecordingEndpoint browser, Ledger ledger, String phase) {
        for (int i = 0; i < PER_PHASE; i++) {
            Envelope e = Envelopes.envelope("room1", browser.id(), "{\"phase\":\"" + phase + "\",\"n\":" + i + "}");
            ledger.sent(e.id());
            if (!(bridge.hub().publish(e, browser) instanceof PublishResult.Published)) {
                ledger.reported(e.id(), "refused by the hub"); // refused synchronously: the sender is told at once
            }
        }
    }

    /** Waits until every id sent is delivered at alice or reported to the browser. */
    private static void settle(Ledger ledger, SipUserAgent alice, RecordingEndpoint browser) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ledger.settled() < ledger.sentCount() && System.nanoTime() < deadline) {
            for (DeliveryFailure f : browser.failures().drain()) {
                ledger.reported(f.envelopeId(), f.code().wire());
            }
            ReceivedSipMessage m = alice.received().poll(200, TimeUnit.MILLISECONDS);
            if (m != null) {
                delivered(ledger, m);
            }
        }
        for (ReceivedSipMessage m; (m = alice.received().poll()) != null; ) {
            delivered(ledger, m);
        }
        browser.failures().drain().forEach(f -> ledger.reported(f.envelopeId(), f.code().wire()));
    }

    private static void delivered(Ledger ledger, ReceivedSipMessage m) {
        Matcher id = ID.matcher(m.body());
        if (id.find()) {
            ledger.delivered(id.group(1));
        }
    }

    private static void finish(Ledger ledger) {
        synchronized (ROWS) {
            ROWS.add(ledger.row());
        }
        System.out.println(ledger.row());
        assertEquals(List.of(), ledger.lost(), "lost (neither delivered nor reported to the sender)");
        assertEquals(List.of(), ledger.duplicated(), "delivered twice");
    }
}
