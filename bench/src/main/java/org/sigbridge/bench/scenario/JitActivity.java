package org.sigbridge.bench.scenario;

import java.util.List;
import org.sigbridge.bench.load.CpuClock;
import org.sigbridge.bench.load.LoadSpec;

/**
 * CPU time of a JVM's JIT compiler threads ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}), read from
 * {@code /proc/PID/task/TID/stat} (Linux). The XMPP and SIP warm-ups use it to tell when the bridges' JIT has
 * settled: measured with a still-compiling JVM, a run benchmarks C2 rather than the path (seen on the XMPP path:
 * C2 at 6–19 % of the shared core during the first measured runs; settled, the compiler threads idle at 1–3 %; on
 * the SIP path the three repeats rose in order, 1,857 → 2,825 → 3,838 deliveries/s, sip-perf2-notes.md).
 */
public final class JitActivity {
    /** Runs that count as settled: the bridges' compiler threads used less than this share of a core. */
    private static final double SETTLED_PCT = 3.0;
    private static final int MAX_ROUNDS = 8;

    private JitActivity() {
    }

    /**
     * Warm-up runs of {@code warm} against {@code path} until its bridges' JIT compilers used less than
     * {@value #SETTLED_PCT} % of a core during a run (at most {@value #MAX_ROUNDS} runs); each round is printed.
     * Direct baselines run inside the generator JVM, whose compilers work on the generator's CPU; the bridges'
     * compile on their own CPUs, so an unsettled bridge JIT would be measured as path cost.
     *
     * @return the number of warm-up runs made
     */
    public static int warmUntilSettled(String label, BridgePairServer path, LoadSpec warm) throws Exception {
        return warmUntilSettled(label, path, path.bridgePids(), warm);
    }

    /** As {@link #warmUntilSettled(String, BridgePairServer, LoadSpec)} for one JVM server (the socket.io comparison). */
    public static int warmUntilSettled(String label, ServerUnderTest server, LoadSpec warm) throws Exception {
        return warmUntilSettled(label, server, List.of(server.pid()), warm);
    }

    private static int warmUntilSettled(String label, ServerUnderTest path, List<Long> jvmPids, LoadSpec warm) throws Exception {
        for (int round = 1; ; round++) {
            long jit0 = compilerNanos(jvmPids);
            long t0 = System.nanoTime();
            LocalScenarios.run(path, warm);
            long jit1 = compilerNanos(jvmPids);
            double pct = jit0 < 0 || jit1 < 0 ? -1 : 100.0 * (jit1 - jit0) / (System.nanoTime() - t0);
            System.out.printf("  %s warm-up %d (%d clients): JIT compiler threads used %.1f%% of a core%n", label, round,
                    warm.clients(), pct);
            if (pct < SETTLED_PCT || round >= MAX_ROUNDS) {
                return round;
            }
        }
    }

    /** Compiler-thread CPU of all {@code pids}, in nanoseconds; -1 when /proc cannot be read. */
    public static long compilerNanos(List<Long> pids) {
        return CpuClock.compilerNanos(pids);
    }
}
