package org.sigbridge.bench.xmpp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time of a JVM's JIT compiler threads ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}), read from
 * {@code /proc/PID/task/TID/stat} (Linux). The XMPP warm-up uses it to tell when the bridges' JIT has
 * settled: measured with a still-compiling JVM on the core Prosody runs on, a run benchmarks C2 rather
 * than the path (seen: C2 at 6–19 % of the shared core during the first measured runs; settled, the compiler threads idle at 1–3 %).
 */
final class JitActivity {
    /** USER_HZ; 100 on every Linux this runs on. */
    private static final double TICK_NANOS = 1e9 / 100;

    private JitActivity() {
    }

    /** Compiler-thread CPU of all {@code pids}, in nanoseconds; -1 when /proc cannot be read. */
    static long compilerNanos(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    String comm = read(task.resolve("comm"));
                    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                        String stat = read(task.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return (long) (ticks * TICK_NANOS);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return ""; // the thread ended meanwhile
        }
    }
}
