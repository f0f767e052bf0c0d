package org.sigbridge.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time of this process (the generator) and of another process by pid (the server, from
 * {@code /proc/PID/stat}, Linux only). Used to show whether a run was limited by the generator.
 */
public final class CpuClock {
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

    private CpuClock() {
    }

    /** CPU time used by this JVM so far, in nanoseconds; -1 if the platform does not say. */
    public static long selfNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * utime + stime of {@code pid} and its live descendants (Kamailio's workers are child processes) in
     * nanoseconds, 10 ms resolution; -1 if {@code pid} cannot be read. A descendant that exits between two
     * samples makes the difference too small, never too large.
     */
    public static long processNanos(long pid) {
        long own = singleProcessNanos(pid);
        if (own < 0) {
            return -1;
        }
        long children = ProcessHandle.of(pid).map(p -> p.descendants()
                .mapToLong(d -> Math.max(0, singleProcessNanos(d.pid()))).sum()).orElse(0L);
        return own + children;
    }

    private static long singleProcessNanos(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name in parentheses may contain spaces: split after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return (utime + stime) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size of {@code pid} in bytes from {@code /proc/PID/status}; -1 if it cannot be read. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time of the JIT compiler threads ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}) of all {@code pids},
     * from {@code /proc/PID/task/TID/stat}, in nanoseconds; -1 when /proc cannot be read.
     */
    public static long compilerNanos(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    String comm = readTrimmed(task.resolve("comm"));
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        String stat = readTrimmed(task.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return ticks * NANOS_PER_TICK;
    }

    private static String readTrimmed(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return ""; // the thread ended meanwhile
        }
    }
}
