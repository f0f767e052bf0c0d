package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Probes loopback ports that are free for both TCP and UDP at the moment of the probe.
 *
 * <p>The sockets are closed before the number is returned, so another process may take the port in
 * between; that race is accepted for tests. SIP peers (Kamailio, JAIN-SIP) use one number for UDP and TCP,
 * which is why both protocols are probed. Thread-safe.
 *
 * <p>A port this JVM handed out lately (the last {@value #REMEMBERED}) is not handed out again: a peer that draws two
 * ports before binding either (Kamailio's SIP and TLS ports) found both free at the probe, and a full run once drew the
 * same number twice ("Address already in use" for Kamailio's TLS socket).
 *
 * <p>Ports are drawn at random from below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range},
 * 32768 and up by default), not asked of the kernel with port 0: a port-0 answer is an ephemeral port, and the
 * next outgoing connection of the test itself (a bridge's TCP connection to Kamailio or Prosody) could take it
 * as its source port before the peer meant to listen there binds it ("Address already in use"). The range starts
 * above 10080, the highest of the ports Chromium refuses to load from ({@code net::ERR_UNSAFE_PORT}), so a page a test
 * opens on a drawn port always loads.
 */
public final class FreePorts {
    private static final int ATTEMPTS = 200;
    private static final int LOWEST = 10_081;
    private static final int DEFAULT_EPHEMERAL_LOW = 32_768;
    private static final int REMEMBERED = 1_024;
    /** Ports handed out lately, oldest first; guarded by itself. */
    private static final ArrayDeque<Integer> RECENT = new ArrayDeque<>();
    private static final Set<Integer> RECENT_SET = new HashSet<>();

    private FreePorts() {
    }

    /**
     * Returns a port on 127.0.0.1 on which a TCP server socket and a UDP socket could both be bound.
     *
     * @throws PeerException if no such port was found in {@value #ATTEMPTS} attempts
     */
    public static int tcpAndUdp() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int below = Math.max(LOWEST + 1_000, ephemeralLow());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (tcpFree(loopback, port) && udpFree(loopback, port) && handOut(port)) {
                return port;
            }
        }
        throw new PeerException("no loopback port in " + LOWEST + "-" + (below - 1) + " free for both TCP and UDP after "
                + ATTEMPTS + " attempts");
    }

    /** Records {@code port} as handed out; false if it was handed out lately. */
    private static boolean handOut(int port) {
        synchronized (RECENT) {
            if (!RECENT_SET.add(port)) {
                return false;
            }
            RECENT.addLast(port);
            if (RECENT.size() > REMEMBERED) {
                RECENT_SET.remove(RECENT.removeFirst());
            }
            return true;
        }
    }

    /** The first port of the kernel's ephemeral range, or Linux's default when it cannot be read. */
    private static int ephemeralLow() {
        try {
            // not Files.readString: it reads a /proc file as the size stat reports (0) and returned "3" here for
            // "32768\t60999", which shrank the drawn range to 10081-11080 (a thousand ports: draws collided)
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }

    private static boolean tcpFree(InetAddress loopback, int port) {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(false);
            tcp.bind(new InetSocketAddress(loopback, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
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
