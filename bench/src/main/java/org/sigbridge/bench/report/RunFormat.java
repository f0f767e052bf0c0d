package org.sigbridge.bench.report;

import java.util.List;
import java.util.Locale;

import org.sigbridge.bench.load.LoadSpec;
import org.sigbridge.bench.load.RunResult;

/** One {@link RunResult} as a JSON line or a table row; the columns the {@code load} command prints. */
public final class RunFormat {
    public static final List<String> COLUMNS = List.of("label", "dialect", "clients", "fan-out", "offered/s",
            "conn", "conn p50 ms", "sent", "delivered", "expected", "lost", "dup", "deliv/s", "p50 ms", "p90 ms",
            "p99 ms", "max ms", "gen cpu%", "srv cpu%");

    private RunFormat() {
    }

    public static String json(RunResult r) {
        LoadSpec s = r.spec();
        return new JsonLine().put("type", "run").put("label", s.label()).put("url", s.url().toString())
                .put("dialect", s.dialect().wire()).put("clients", s.clients()).put("perChannel", s.perChannel())
                .put("fanout", s.fanout()).put("ratePerClient", s.ratePerClient())
                .put("offeredPerSec", s.offeredPerSecond()).put("closedLoop", s.closedLoop())
                .put("window", s.window()).put("payloadBytes", s.payloadBytes())
                .put("warmupS", s.warmup().toMillis() / 1000.0).put("durationS", r.measuredSeconds())
                .put("connections", r.connections()).put("connectFailures", r.connectFailures())
                .put("connectWallMs", r.connectWallMs()).put("connectP50Ms", r.connect().p50Ms())
                .put("connectP99Ms", r.connect().p99Ms()).put("connectMaxMs", r.connect().maxMs())
                .put("sent", r.sent()).put("expected", r.expected()).put("delivered", r.delivered())
                .put("lost", r.lost()).put("duplicated", r.duplicated()).put("otherFrames", r.otherFrames())
                .put("sendFailures", r.sendFailures()).put("closedEarly", r.closedEarly())
                .put("closeReasons", r.closeReasons()).put("otherSamples", r.otherSamples())
                .put("deliveriesPerSec", r.deliveriesPerSecond()).put("sentPerSec", r.sentPerSecond())
                .put("p50Ms", r.latency().p50Ms()).put("p90Ms", r.latency().p90Ms())
                .put("p99Ms", r.latency().p99Ms()).put("maxMs", r.latency().maxMs())
                .put("generatorCpuPct", r.generatorCpuPct()).put("serverCpuPct", r.serverCpuPct())
                .put("sideCpuPct", r.sideCpuPct()).put("sideJitCpuPct", r.sideJitCpuPct())
                .put("generatorBound", r.generatorBound()).put("pacerLagMaxMs", r.pacerLagMaxMs()).toString();
    }

    public static List<String> row(RunResult r) {
        LoadSpec s = r.spec();
        return List.of(s.label(), s.dialect().wire(), Integer.toString(s.clients()), Integer.toString(s.fanout()),
                s.closedLoop() ? "closed w" + s.window() : num(s.offeredPerSecond(), 0),
                Integer.toString(r.connections()), num(r.connect().p50Ms(), 2), Long.toString(r.sent()),
                Long.toString(r.delivered()), Long.toString(r.expected()), Long.toString(r.lost()),
                Long.toString(r.duplicated()), num(r.deliveriesPerSecond(), 0), num(r.latency().p50Ms(), 3),
                num(r.latency().p90Ms(), 3), num(r.latency().p99Ms(), 3), num(r.latency().maxMs(), 2),
                num(r.generatorCpuPct(), 0), num(r.serverCpuPct(), 0));
    }

    public static String num(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
