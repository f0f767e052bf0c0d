package org.sigbridge.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The open-file limit an idle-memory point needs: each idle connection is a descriptor in the server and one in the
 * generator, and each process has its own limit ({@code ulimit -n}; {@code scripts/bench} raises the soft limit to
 * the hard one), and each is a local port of the generator's one loopback address. A point above either limit would
 * measure refused connections, so it stops the run before it starts, saying how to raise the limit
 * (docs/benchmarks.md, "Idle memory per connection, round 3").
 */
final class OpenFiles {

    /** Descriptors a JVM or Node server holds besides its connections (jars, selectors, logs, pipes). */
    static final int MARGIN = 200;

    private OpenFiles() {
    }

    /** @throws IllegalArgumentException when {@code connections} do not fit this process's soft limit */
    static void requireFor(int connections, String option) {
        OptionalLong limit = softLimit();
        if (limit.isPresent() && connections + MARGIN > limit.getAsLong()) {
            throw new IllegalArgumentException(option + " asks for " + connections + " idle connections, but the open-file limit"
                    + " is " + limit.getAsLong() + " (server and generator each need one descriptor per connection, plus "
                    + MARGIN + "): raise the hard limit (as root: `ulimit -Hn 120000` in the shell that runs scripts/bench,"
                    + " which raises the soft limit to it; or `nofile` in /etc/security/limits.conf, LimitNOFILE= for a"
                    + " service) or lower the point");
        }
        OptionalLong ports = ephemeralPorts();
        if (ports.isPresent() && connections > ports.getAsLong()) {
            throw new IllegalArgumentException(option + " asks for " + connections + " idle connections, but the generator"
                    + " connects from one loopback address to one port, and the kernel has " + ports.getAsLong()
                    + " ephemeral ports (net.ipv4.ip_local_port_range): widen the range (as root: sysctl -w"
                    + " net.ipv4.ip_local_port_range=\"1024 65535\", 64,512 ports) or lower the point");
        }
    }

    /** How many ports {@code net.ipv4.ip_local_port_range} gives one source address; empty where it is unreadable. */
    static OptionalLong ephemeralPorts() {
        try {
            // read as lines: Files.readString got only the first byte of this procfs file
            String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
            return OptionalLong.of(Long.parseLong(range[1]) - Long.parseLong(range[0]) + 1);
        } catch (IOException | RuntimeException unreadable) {
            return OptionalLong.empty();
        }
    }

    /** The soft "Max open files" of this process, from {@code /proc/self/limits}; empty where that file is absent. */
    static OptionalLong softLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(soft));
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
