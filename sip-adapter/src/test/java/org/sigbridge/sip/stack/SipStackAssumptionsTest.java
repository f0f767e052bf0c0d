package org.sigbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sip.RequestEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.sip.SipSettings;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.sip.NoOpSipListener;

/**
 * Pins what {@link SipStackRunner} assumes of JAIN-SIP RI 1.3 (docs/library-assumptions.md#jain-sip): the stack
 * instantiates the {@code NETWORK_LAYER} it is named; with {@code REENTRANT_LISTENER} it calls the listener for a
 * second request while the first is still inside it; it starts a thread named {@code EventScannerThread} that
 * outlives {@code stop()} unless interrupted, and {@link SipStackRunner#close} ends exactly that thread.
 */
@Timeout(60)
class SipStackAssumptionsTest {

    @Test
    void jainSipUsesTheNamedNetworkLayerCallsTheListenerReentrantlyAndItsScannerThreadEndsOnClose() throws Exception {
        int port = FreePorts.tcpAndUdp();
        SipSettings settings = (SipSettings) new ConfigLoader(ConfigLoader.installedFactories(), name -> null).parse("""
                adapters:
                  sip:
                    type: sip
                    listen-host: 127.0.0.1
                    listen-port: %d
                    domain: localhost
                """.formatted(port), "pin.yml").adapters().get("sip");
        Set<Thread> scannersBefore = scanners();
        Reentrancy listener = new Reentrancy();

        SipStackRunner runner = SipStackRunner.start("pin", settings, listener);
        Set<Thread> ours;
        try {
            ours = scanners();
            ours.removeAll(scannersBefore);
            assertFalse(ours.isEmpty(), "JAIN-SIP started no thread named EventScannerThread; SipStackRunner.close cleans up nothing");
            assertInstanceOf(NoDelayNetworkLayer.class, ((SIPTransactionStack) runner.provider().getSipStack()).getNetworkLayer(),
                    "JAIN-SIP ignored gov.nist.javax.sip.NETWORK_LAYER");

            try (DatagramSocket ua = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                send(ua, port, "first");
                assertTrue(listener.firstInside.await(10, TimeUnit.SECONDS), "the first MESSAGE never reached the listener");
                send(ua, port, "second");
                assertTrue(listener.secondArrived.await(10, TimeUnit.SECONDS),
                        "the second MESSAGE was not delivered while the first was still in the listener: REENTRANT_LISTENER no longer holds");
            }
        } finally {
            listener.secondArrived.countDown();
            runner.close();
        }
        Set<Thread> ended = ours;
        Poll.until("our EventScannerThread ended after close", Duration.ofSeconds(10), Duration.ofMillis(20),
                () -> ended.stream().filter(Thread::isAlive).map(Thread::getName).collect(Collectors.toList()), java.util.List::isEmpty);
    }

    private static void send(DatagramSocket ua, int port, String callId) throws Exception {
        int local = ua.getLocalPort();
        String body = "{\"message\":\"" + callId + "\"}";
        String request = "MESSAGE sip:room@127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + local + ";branch=z9hG4bK-" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:ua@127.0.0.1:" + local + ">;tag=" + callId + "\r\n"
                + "To: <sip:room@127.0.0.1:" + port + ">\r\n"
                + "Call-ID: " + callId + "@pin\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        ua.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
    }

    private static Set<Thread> scanners() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("EventScannerThread"))
                .collect(Collectors.toSet());
    }

    /** Holds the first request inside the listener until a second one arrives (bounded). */
    private static final class Reentrancy extends NoOpSipListener {
        final CountDownLatch firstInside = new CountDownLatch(1);
        final CountDownLatch secondArrived = new CountDownLatch(1);

        @Override
        public void processRequest(RequestEvent event) {
            if (event.getRequest().toString().contains("Call-ID: first@pin")) {
                firstInside.countDown();
                try {
                    secondArrived.await(15, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (event.getRequest().toString().contains("Call-ID: second@pin")) {
                secondArrived.countDown();
            }
        }
    }
}
