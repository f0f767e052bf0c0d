package org.sigbridge.bench.scenario;

import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sigbridge.bench.load.CpuClock;
import org.sigbridge.bench.load.LoadRun;
import org.sigbridge.bench.report.JsonLine;

/**
 * (d) memory per idle connection: a fresh server per measurement, its RSS before and after N subscribed,
 * idle sockets (channels dialect, pairs), divided by N. RSS of a JVM also reflects how far the heap has
 * grown, so for sigbridge the live heap after a full GC ({@code jcmd PID GC.run}, then
 * {@code GC.heap_info}) is reported too: the bytes a connection really retains on the heap.
 * "held" is the number of sockets still open after the settle time. RSS is read 2 s after the last connect
 * ({@code KB/conn}, as since the first round) and again {@link #SETTLE_MILLIS} after it ({@code KB/conn settled}).
 */
public final class MemoryScenario {
    static final Comparison.Metric KB_PER_CONN = new Comparison.Metric("KB/conn", 1, true);
    /**
     * The same delta read again {@link #SETTLE} after the last connect: what the connect burst freed but kept (the C
     * heap until the next periodic trim, {@code -XX:TrimNativeHeapInterval=5000} in the shipped options; compiler
     * arenas) is gone by then, so this is what N idle connections keep.
     */
    static final Comparison.Metric KB_PER_CONN_SETTLED = new Comparison.Metric("KB/conn settled", 1, false);
    /** Two and a half trim intervals of the shipped options: the reading after it follows at least two trims. */
    static final long SETTLE_MILLIS = 12_500;
    static final Comparison.Metric LIVE_KB_PER_CONN = new Comparison.Metric("live heap KB/conn", 1, false);
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    static final Comparison.Metric RSS_MB = new Comparison.Metric("RSS MB", 0, false);
    static final Comparison.Metric HELD = new Comparison.Metric("held", 0, false);

    private final BenchSettings settings;
    private final List<Supplier<ServerUnderTest>> servers;
    private final List<String> names;
    private final ResultLog log;

    public MemoryScenario(BenchSettings settings, List<Supplier<ServerUnderTest>> servers, List<String> names,
                          ResultLog log) {
        this.settings = settings;
        this.servers = List.copyOf(servers);
        this.names = List.copyOf(names);
        this.log = log;
    }

    public Comparison run(List<Integer> connectionCounts) throws Exception {
        return run("(d) memory per idle connection (RSS delta / connections, fresh server each)", connectionCounts);
    }

    /** As {@link #run(List)}, under {@code title} (the PeerJS scenario measures idle peers). */
    public Comparison run(String title, List<Integer> connectionCounts) throws Exception {
        Comparison c = new Comparison(title, "connections", names, List.of(KB_PER_CONN, KB_PER_CONN_SETTLED, LIVE_KB_PER_CONN,
                RSS_MB, HELD));
        for (int n : connectionCounts) {
            String point = Integer.toString(n);
            c.point(point, n);
            for (int rep = 1; rep <= settings.repeats(); rep++) {
                for (Supplier<ServerUnderTest> factory : servers) {
                    measureOnce(c, point, n, rep, factory);
                }
            }
        }
        return c;
    }

    private void measureOnce(Comparison c, String point, int n, int rep, Supplier<ServerUnderTest> factory)
            throws Exception {
        try (ServerUnderTest server = factory.get()) {
            server.start();
            Thread.sleep(1000);
            long before = CpuClock.rssBytes(server.pid());
            long liveBefore = liveHeapBytes(server);
            long after;
            long settled;
            long liveAfter;
            int held;
            int sources;
            try (LoadRun run = new LoadRun(settings.idleSpec("idle-" + n, n).withUrl(
                    server.url(settings.dialect())), server.pid())) {
                sources = run.sourceAddresses();
                run.connect();
                long connected = System.nanoTime();
                Thread.sleep(2000);
                after = CpuClock.rssBytes(server.pid());
                Thread.sleep(Math.max(0, SETTLE_MILLIS - (System.nanoTime() - connected) / 1_000_000));
                settled = CpuClock.rssBytes(server.pid());
                liveAfter = liveHeapBytes(server);
                held = run.connections() - (int) run.counters().closedEarly();
            }
            double perConn = (after - before) / 1024.0 / n;
            double settledPerConn = (settled - before) / 1024.0 / n;
            double livePerConn = liveBefore < 0 || liveAfter < 0 ? Double.NaN : (liveAfter - liveBefore) / 1024.0 / n;
            c.add(point, server.name(), KB_PER_CONN.name(), perConn);
            c.add(point, server.name(), KB_PER_CONN_SETTLED.name(), settledPerConn);
            if (!Double.isNaN(livePerConn)) {
                c.add(point, server.name(), LIVE_KB_PER_CONN.name(), livePerConn);
            }
            c.add(point, server.name(), RSS_MB.name(), after / 1024.0 / 1024.0);
            c.add(point, server.name(), HELD.name(), held);
            log.line(new JsonLine().put("scenario", "d").put("server", server.name()).put("rep", rep)
                    .put("connections", n).put("held", held).put("rssBeforeBytes", before)
                    .put("rssAfterBytes", after).put("rssSettledBytes", settled)
                    .put("kbPerConnSettled", settledPerConn).put("sourceAddresses", sources).put("liveHeapBeforeBytes", liveBefore).put("liveHeapAfterBytes", liveAfter)
                    .put("kbPerConn", perConn).put("liveHeapKbPerConn", livePerConn).put("loadavg1", MachineInfo.loadAverage1()));
        }
    }

    /** Heap in use after a full GC, for a JVM server; -1 for others or when jcmd fails. */
    private static long liveHeapBytes(ServerUnderTest server) {
        if (!(server instanceof SigbridgeServer)) {
            return -1;
        }
        String pid = Long.toString(server.pid());
        MachineInfo.command(List.of("jcmd", pid, "GC.run"));
        MachineInfo.command(List.of("jcmd", pid, "GC.run")); // twice: the first may leave start-up garbage
        // Sum every generation before the Metaspace line: G1 prints one heap line, Serial (what a JVM pinned
        // to one CPU picks) prints the young and the tenured generation.
        String info = MachineInfo.command(List.of("jcmd", pid, "GC.heap_info"));
        int metaspace = info.indexOf("Metaspace");
        Matcher m = HEAP_USED.matcher(metaspace < 0 ? info : info.substring(0, metaspace));
        long kb = -1;
        while (m.find()) {
            kb = Math.max(kb, 0) + Long.parseLong(m.group(1));
        }
        return kb < 0 ? -1 : kb * 1024;
    }
}
