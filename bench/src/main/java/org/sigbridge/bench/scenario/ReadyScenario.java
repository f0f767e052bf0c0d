package org.sigbridge.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sigbridge.bench.report.JsonLine;

/**
 * Start to ready: time from spawning {@code java -jar sigbridge.jar --config conf/sigbridge.yml} until
 * its web port accepts a TCP connection, and the figure sigbridge logs itself ("ready in N ms", measured
 * from {@code main}, so without JVM start-up). Not pinned: a user starts it on the whole machine.
 */
public final class ReadyScenario {
    static final Comparison.Metric PORT_MS = new Comparison.Metric("spawn→accept ms", 0, false);
    static final Comparison.Metric LOGGED_MS = new Comparison.Metric("logged 'ready in' ms", 0, false);
    private static final Pattern READY = Pattern.compile("ready in (\\d+) ms");

    private final Supplier<SigbridgeServer> factory;
    private final ResultLog log;

    public ReadyScenario(Supplier<SigbridgeServer> factory, ResultLog log) {
        this.factory = factory;
        this.log = log;
    }

    public Comparison run(int repeats) throws Exception {
        Comparison c = new Comparison("start to ready, default config (conf/sigbridge.yml)", "config",
                List.of("sigbridge"), List.of(PORT_MS, LOGGED_MS));
        c.point("default", 0);
        for (int rep = 1; rep <= repeats; rep++) {
            double portMs;
            double loggedMs = Double.NaN;
            try (SigbridgeServer server = factory.get()) {
                server.start();
                portMs = server.readyNanos() / 1e6;
                for (int i = 0; i < 50 && Double.isNaN(loggedMs); i++) {
                    loggedMs = loggedReadyMs(server);
                    if (Double.isNaN(loggedMs)) {
                        Thread.sleep(20);
                    }
                }
            }
            c.add("default", "sigbridge", PORT_MS.name(), portMs);
            if (!Double.isNaN(loggedMs)) {
                c.add("default", "sigbridge", LOGGED_MS.name(), loggedMs);
            }
            log.line(new JsonLine().put("scenario", "ready").put("server", "sigbridge").put("rep", rep)
                    .put("spawnToAcceptMs", portMs).put("loggedReadyMs", loggedMs)
                    .put("loadavg1", MachineInfo.loadAverage1()));
        }
        return c;
    }

    private static double loggedReadyMs(SigbridgeServer server) {
        try {
            Matcher m = READY.matcher(Files.readString(server.log()));
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
