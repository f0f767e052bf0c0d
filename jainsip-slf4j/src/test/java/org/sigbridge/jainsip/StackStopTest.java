package org.sigbridge.jainsip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import javax.sip.ListeningPoint;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StackStop} on a bare JAIN-SIP RI stack stopped right after it started, twenty times: the RI's own stop then
 * often races with the UDP processor's thread still filling its channel list (a CME that ends {@code stopStack} before
 * the TCP processor is stopped). Every round must end {@link StackStop.Outcome#RELEASED}, with both ports bindable at
 * once (docs/library-assumptions.md#jain-sip).
 */
@Timeout(60)
class StackStopTest {

    @Test
    void aStackStoppedRightAfterItsStartReleasesBothPortsBeforeStopReturns() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        for (int round = 0; round < 20; round++) {
            int port = freePort();
            Properties p = new Properties();
            p.setProperty("javax.sip.STACK_NAME", "stack-stop-test-" + UUID.randomUUID());
            p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
            p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
            p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4"); // as sigbridge's stacks: the UDP channel list
            SipStack stack = factory.createSipStack(p);
            ListeningPoint udp = stack.createListeningPoint("127.0.0.1", port, ListeningPoint.UDP);
            SipProvider provider = stack.createSipProvider(udp);
            provider.addListeningPoint(stack.createListeningPoint("127.0.0.1", port, ListeningPoint.TCP));
            stack.start();

            assertEquals(StackStop.Outcome.RELEASED, StackStop.stop(stack, Set.of(), Duration.ofSeconds(5)), "round " + round);

            try (DatagramSocket u = new DatagramSocket(new InetSocketAddress("127.0.0.1", port)); ServerSocket t = new ServerSocket()) {
                t.setReuseAddress(true);
                t.bind(new InetSocketAddress("127.0.0.1", port));
            }
        }
    }

    /** A port free on both UDP and TCP at 127.0.0.1 (JAIN-SIP cannot bind port 0). */
    private static int freePort() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket t = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                int port = t.getLocalPort();
                try (DatagramSocket u = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                    return port;
                } catch (java.net.SocketException taken) {
                    // UDP side taken: try another
                }
            }
        }
        throw new IllegalStateException("no port free on both UDP and TCP");
    }
}
