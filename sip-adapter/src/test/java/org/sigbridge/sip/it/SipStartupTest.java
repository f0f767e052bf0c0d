package org.sigbridge.sip.it;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sigbridge.spi.AdapterStartException;
import org.sigbridge.testkit.peers.FreePorts;

/** Start-up failures are one operator line, and leave nothing bound. */
class SipStartupTest {

    private static final String CONFIG = """
            adapters:
              sip:
                type: sip
                listen-port: ${PORT}
            routes:
              - match: "*"
                to: sip
            """;

    @Test
    void failsWithOneLineNamingThePortWhenItIsTaken() throws Exception {
        int port = FreePorts.tcpAndUdp();
        try (DatagramSocket taken = new DatagramSocket(null)) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            AdapterStartException e = assertThrows(AdapterStartException.class,
                    () -> BridgeUnderTest.start(CONFIG, Map.of("PORT", Integer.toString(port))));
            assertTrue(e.getMessage().startsWith("sip: cannot listen on 127.0.0.1:" + port), e.getMessage());
            assertTrue(e.getMessage().contains("listen-port"), e.getMessage());
        }
        // Nothing of the failed attempt is left bound: the port can be used again.
        try (BridgeUnderTest bridge = BridgeUnderTest.start(CONFIG, Map.of("PORT", Integer.toString(port)))) {
            assertTrue(bridge.sip().describe().get(0).contains(":" + port + ", domain 127.0.0.1"), bridge.sip().describe().get(0));
        }
    }
}
