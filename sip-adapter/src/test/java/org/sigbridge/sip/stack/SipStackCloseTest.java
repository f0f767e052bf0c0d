package org.sigbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.jainsip.StackStop;
import org.sigbridge.sip.SipSettings;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.TlsMaterial;
import org.sigbridge.testkit.sip.NoOpSipListener;

/**
 * {@link SipStackRunner#close} releases the listening ports before it returns (docs/library-assumptions.md#jain-sip),
 * without JAIN-SIP's fixed second: it waited for the threads of every listening point (UDP, TCP, TLS) to leave their
 * sockets, and a stack started again on the same ports right after the close binds them (as a reload or restart does),
 * even with TCP and TLS connections still open to the old one; so do plain sockets after the last close. Five rounds,
 * since the release is done by JAIN-SIP's own threads.
 */
@Timeout(60)
class SipStackCloseTest {

    @Test
    void aStackStartedOnTheSamePortsRightAfterCloseBindsThem() throws Exception {
        int port = FreePorts.tcpAndUdp();
        int tlsPort = FreePorts.tcpAndUdp();
        try (TlsMaterial certs = TlsMaterial.create("sigbridge-sip-close-")) {
            Path keyStore = certs.keyStore("sip", certs.selfSigned("sip", "127.0.0.1", "IP:127.0.0.1"));
            SipSettings settings = (SipSettings) new ConfigLoader(ConfigLoader.installedFactories(), name -> null).parse("""
                    adapters:
                      sip:
                        type: sip
                        listen-host: 127.0.0.1
                        listen-port: %d
                        domain: localhost
                        tls:
                          port: %d
                          key-store: %s
                          key-store-password: %s
                    """.formatted(port, tlsPort, keyStore, TlsMaterial.PASSWORD), "close.yml").adapters().get("sip");
            Socket tcp = null;
            Socket tls = null;
            try {
                for (int round = 0; round < 5; round++) {
                    SipStackRunner runner = SipStackRunner.start("close-" + round, settings, new NoOpSipListener()); // binds, or throws
                    try {
                        assertEquals("udp+tcp+tls", runner.transports());
                        closeQuietly(tcp);
                        closeQuietly(tls);
                        tcp = new Socket("127.0.0.1", port); // connections to the stack, still open at the next start
                        tls = new Socket("127.0.0.1", tlsPort);
                    } finally {
                        runner.close();
                    }
                    assertEquals(StackStop.Outcome.RELEASED, runner.stopOutcome(), "close waited for every listening thread");
                }
            } finally {
                closeQuietly(tcp);
                closeQuietly(tls);
            }
        }
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
             ServerSocket tcp = new ServerSocket();
             ServerSocket tls = new ServerSocket()) {
            tcp.setReuseAddress(true); // as JAIN-SIP's and the JDK's server sockets do
            tcp.bind(new InetSocketAddress("127.0.0.1", port));
            tls.setReuseAddress(true);
            tls.bind(new InetSocketAddress("127.0.0.1", tlsPort));
            assertTrue(udp.isBound() && tcp.isBound() && tls.isBound());
        }
    }

    private static void closeQuietly(Socket socket) throws Exception {
        if (socket != null) {
            socket.close();
        }
    }
}
