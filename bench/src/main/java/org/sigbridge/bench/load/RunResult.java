package org.sigbridge.bench.load;

import java.util.Map;

/**
 * The outcome of one load run. Counts cover the measurement window only, except {@code duplicated}
 * (whole run). CPU percentages are of one core over the measurement window; -1 when unknown.
 * {@code sideCpuPct} is the CPU of the processes between the generator and the server that the run was told to
 * watch (the bridges of the XMPP and SIP paths, all their threads together), 0 when there are none;
 * {@code sideJitCpuPct} the part of it their JIT compiler threads used (a bridge that is still compiling is measured
 * with its compiler's work, which is not the path's).
 */
public record RunResult(LoadSpec spec, int connections, int connectFailures, LatencySummary connect,
                        double connectWallMs, long sent, long expected, long delivered, long lost, long duplicated,
                        long otherFrames, long sendFailures, long closedEarly, Map<String, Long> closeReasons,
                        Map<String, Long> otherSamples,
                        double measuredSeconds, LatencySummary latency, double generatorCpuPct, double serverCpuPct,
                        double sideCpuPct, double sideJitCpuPct, double pacerLagMaxMs) {

    public double deliveriesPerSecond() {
        return measuredSeconds <= 0 ? 0 : delivered / measuredSeconds;
    }

    public double sentPerSecond() {
        return measuredSeconds <= 0 ? 0 : sent / measuredSeconds;
    }

    /** True when the generator used most of a core: its own limits, not the server's, may show. */
    public boolean generatorBound() {
        return generatorCpuPct >= 90;
    }
}
