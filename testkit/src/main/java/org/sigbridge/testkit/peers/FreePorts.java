package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Probes loopback ports that are free for both TCP and UDP at the moment of the probe.
 *
 * <p>The sockets are closed before the number is returned, so another process may take the port in
 * between; that race is accepted for tests. SIP peers (Kamailio, JAIN-SIP) use one number for UDP and TCP,
 * which is why both protocols are probed. Thread-safe, no state.
 */
public final class FreePorts {
    private static final int ATTEMPTS = 50;

    private FreePorts() {
    }

    /**
     * Returns a port on 127.0.0.1 on which a TCP server socket and a UDP socket could both be bound.
     *
     * @throws PeerException if no such port was found in {@value #ATTEMPTS} attempts
     */
    public static int tcpAndUdp() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
                int port = tcp.getLocalPort();
                if (udpFree(loopback, port)) {
                    return port;
                }
            } catch (IOException e) {
                // try the next ephemeral port
            }
        }
        throw new PeerException("no loopback port free for both TCP and UDP after " + ATTEMPTS + " attempts");
    }

    private static boolean udpFree(InetAddress loopback, int port) {
        try (DatagramSocket udp = new DatagramSocket(null)) {
            udp.bind(new InetSocketAddress(loopback, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
