package org.sigbridge.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The loopback source addresses a run's WebSockets connect from. Every connection to one server port from one source
 * address needs its own ephemeral port, and the kernel has {@code net.ipv4.ip_local_port_range} of them (28,232 by
 * default): past that, connects fail with "Cannot assign requested address". All of {@code 127.0.0.0/8} is loopback on
 * Linux, so a run spreads its clients over {@code 127.0.0.1}, {@code 127.0.0.2}, … in blocks of
 * {@link #perAddress} clients, each block from its own address, each with its own range of ports
 * (docs/benchmarks.md, "Idle memory per WebSocket connection, session 14").
 */
public final class SourceAddresses {

    /** Ports of each address's range left to everything else on the machine. */
    static final int SPARE_PORTS = 2_000;
    /** Where the range cannot be read: the kernel's default range (32768–60999), less the spare. */
    static final int DEFAULT_PER_ADDRESS = 28_232 - SPARE_PORTS;

    private final int perAddress;

    /** @param perAddress clients per source address, at least 1 */
    public SourceAddresses(int perAddress) {
        if (perAddress < 1) {
            throw new IllegalArgumentException("clients per source address must be at least 1, not " + perAddress);
        }
        this.perAddress = perAddress;
    }

    /** As many clients per address as this machine's ephemeral port range allows, less {@link #SPARE_PORTS}. */
    public static SourceAddresses forThisMachine() {
        OptionalLong ports = ephemeralPorts();
        long usable = ports.isPresent() ? ports.getAsLong() - SPARE_PORTS : DEFAULT_PER_ADDRESS;
        return new SourceAddresses((int) Math.max(1, Math.min(Integer.MAX_VALUE, usable)));
    }

    public int perAddress() {
        return perAddress;
    }

    /** How many source addresses {@code clients} connections use. */
    public int count(int clients) {
        return Math.max(1, (clients + perAddress - 1) / perAddress);
    }

    /** Which address (0 for the first) the client at {@code index} connects from. */
    public int slot(int index) {
        return index / perAddress;
    }

    /**
     * The address to bind for {@code slot}: {@code null} for slot 0 (the kernel picks 127.0.0.1 towards a loopback
     * server, as before), {@code 127.0.0.(slot + 1)} with any port for the others.
     */
    public static InetSocketAddress bindAddress(int slot) {
        if (slot < 0 || slot > 253) {
            throw new IllegalArgumentException("source address slot must be 0..253, not " + slot);
        }
        return slot == 0 ? null : new InetSocketAddress("127.0.0." + (slot + 1), 0);
    }

    /** How many ports {@code net.ipv4.ip_local_port_range} gives one source address; empty where it is unreadable. */
    public static OptionalLong ephemeralPorts() {
        try {
            // read as lines: Files.readString got only the first byte of this procfs file
            String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
            return OptionalLong.of(Long.parseLong(range[1]) - Long.parseLong(range[0]) + 1);
        } catch (IOException | RuntimeException unreadable) {
            return OptionalLong.empty();
        }
    }
}
