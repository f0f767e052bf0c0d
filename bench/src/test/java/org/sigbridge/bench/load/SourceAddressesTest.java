package org.sigbridge.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

/**
 * A run larger than one loopback address's ephemeral ports spreads its clients over {@code 127.0.0.1}, {@code .2}, …
 * (docs/benchmarks.md, "Idle memory per WebSocket connection, session 14"); the kernel's range is read from
 * {@code /proc}, where the bench runs.
 */
class SourceAddressesTest {

    @Test
    void clientsFillOneAddressThenTheNext() {
        SourceAddresses s = new SourceAddresses(25_000);
        assertEquals(1, s.count(1));
        assertEquals(1, s.count(25_000));
        assertEquals(2, s.count(25_001));
        assertEquals(2, s.count(50_000));
        assertEquals(0, s.slot(24_999));
        assertEquals(1, s.slot(25_000));
        assertEquals(1, s.slot(49_999));
        assertNull(SourceAddresses.bindAddress(0), "the first block connects unbound, from 127.0.0.1 as before");
        assertEquals(new InetSocketAddress("127.0.0.2", 0), SourceAddresses.bindAddress(1));
        assertThrows(IllegalArgumentException.class, () -> SourceAddresses.bindAddress(254));
        assertThrows(IllegalArgumentException.class, () -> new SourceAddresses(0));
    }

    @Test
    void thisMachineGetsItsPortRangeLessTheSpare() {
        assertTrue(SourceAddresses.ephemeralPorts().isPresent(), "net.ipv4.ip_local_port_range is readable on Linux");
        long ports = SourceAddresses.ephemeralPorts().getAsLong();
        assertTrue(ports > SourceAddresses.SPARE_PORTS, "a port range of more than the spare: " + ports);
        assertEquals(ports - SourceAddresses.SPARE_PORTS, SourceAddresses.forThisMachine().perAddress());
    }

    @Test
    void aSecondLoopbackAddressConnectsToALoopbackServer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
             Socket client = new Socket()) {
            client.bind(SourceAddresses.bindAddress(1));
            client.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 5_000);
            try (Socket accepted = server.accept()) {
                assertEquals("127.0.0.2", ((InetSocketAddress) accepted.getRemoteSocketAddress()).getAddress().getHostAddress());
            }
        }
    }
}
