package org.sigbridge.testkit.soak;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The process figures of a soak sample for one JVM on Linux: heap used after a full GC, resident set
 * ({@code VmRSS}), threads and open file descriptors from {@code /proc/<pid>}. For this JVM ({@link #self()}) the
 * GC is {@code System.gc()} and the heap is read from the memory bean; for another JVM ({@link #of(long)}, e.g. the
 * packaged jar the test started) both go through the JDK's {@code jcmd} ({@code GC.run}, then {@code GC.heap_info}),
 * so the figures are that process's own and not the test's.
 *
 * <p>Called from the test's sampling thread; {@link #heapAfterGcMb()} blocks for the GC and, for another JVM, for
 * {@code jcmd} (bounded by 30 s each).
 */
public final class ProcessGauge {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final long pid;
    private final boolean self;

    private ProcessGauge(long pid, boolean self) {
        this.pid = pid;
        this.self = self;
    }

    /** This JVM. */
    public static ProcessGauge self() {
        return new ProcessGauge(ProcessHandle.current().pid(), true);
    }

    /** Another JVM of the same user, by process id ({@code jcmd} must be able to attach to it). */
    public static ProcessGauge of(long pid) {
        return new ProcessGauge(pid, false);
    }

    /** Heap used after a full GC, MiB. */
    public double heapAfterGcMb() throws IOException {
        if (self) {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
        }
        jcmd("GC.run");
        Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!m.find()) {
            throw new IOException("jcmd " + pid + " GC.heap_info printed no 'used NK'");
        }
        return Long.parseLong(m.group(1)) / 1024.0;
    }

    /** Resident set size, MiB. */
    public double rssMb() throws IOException {
        return statusKb("VmRSS:") / 1024.0;
    }

    /** Live threads of the process (the kernel's count, JVM-internal threads included for another JVM). */
    public int threads() throws IOException {
        if (self) {
            return ManagementFactory.getThreadMXBean().getThreadCount();
        }
        return (int) statusKb("Threads:");
    }

    /** Open file descriptors. */
    public int fds() throws IOException {
        try (Stream<Path> s = Files.list(proc().resolve("fd"))) {
            return (int) s.count();
        }
    }

    private Path proc() {
        return Path.of("/proc", Long.toString(pid));
    }

    private long statusKb(String key) throws IOException {
        for (String line : Files.readAllLines(proc().resolve("status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no " + key + " in " + proc().resolve("status"));
    }

    private String jcmd(String command) throws IOException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("jcmd " + pid + " " + command + " did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for jcmd", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }
}
