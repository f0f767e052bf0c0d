package org.sigbridge.bench.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.sigbridge.bench.scenario.ServerProcess;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.KamailioServer;

/**
 * Kamailio with the testkit's own config ({@code kamailio.cfg} from the testkit jar: in-memory registrar,
 * stateful relay) but a shared-memory pool sized for load. The testkit starts it with {@code -m 64}; at a
 * few hundred MESSAGEs per second over TCP that pool runs out ("could not allocate shared memory",
 * stateless 500s), which would make Kamailio's configuration, not the paths, the subject of the SIP
 * comparison. Started pinned like the other servers; one owner; {@link #close()} is idempotent.
 */
public final class BenchKamailio implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final int shmMegabytes;
    private ServerProcess process;

    private BenchKamailio(Path dir, int port, int shmMegabytes) {
        this.dir = dir;
        this.port = port;
        this.shmMegabytes = shmMegabytes;
    }

    /** Starts Kamailio on a probed loopback port and blocks until its TCP socket accepts. */
    public static BenchKamailio start(int shmMegabytes, String cpus) {
        try {
            Path dir = Files.createTempDirectory("sigbridge-bench-kamailio-");
            try (InputStream cfg = KamailioServer.class.getResourceAsStream("kamailio.cfg")) {
                if (cfg == null) {
                    throw new IllegalStateException("kamailio.cfg not found in the testkit jar");
                }
                Files.copy(cfg, dir.resolve("kamailio.cfg"));
            }
            BenchKamailio k = new BenchKamailio(dir, FreePorts.tcpAndUdp(), shmMegabytes);
            k.process = ServerProcess.start(List.of("kamailio", "-f", dir.resolve("kamailio.cfg").toString(), "-DD",
                    "-E", "-Y", dir.toString(), "-P", dir.resolve("kamailio.pid").toString(), "-w", dir.toString(),
                    "-l", "udp:127.0.0.1:" + k.port, "-l", "tcp:127.0.0.1:" + k.port, "-m",
                    Integer.toString(shmMegabytes), "-M", "16"), cpus, Map.of(), dir, dir.resolve("kamailio.log"));
            k.process.awaitAccept(k.port, Duration.ofSeconds(10));
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start kamailio", e);
        }
    }

    public int port() {
        return port;
    }

    public int shmMegabytes() {
        return shmMegabytes;
    }

    /** The main process; its workers are children (CPU sampling covers the main process only). */
    public long pid() {
        return process.pid();
    }

    /** The last {@code lines} lines of Kamailio's log (one INFO line per request). */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(dir.resolve("kamailio.log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")\n";
        }
    }

    /** How many lines of the log report an exhausted shared-memory pool. */
    public long shmFailures() {
        try (Stream<String> lines = Files.lines(dir.resolve("kamailio.log"))) {
            return lines.filter(l -> l.contains("could not allocate shared memory")).count();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
            process = null;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
