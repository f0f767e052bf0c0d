package org.sigbridge.testkit.peers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One sipp (SIPp 3.6) invocation against a SIP proxy on 127.0.0.1: a scenario, a user ({@code -s}), a
 * transport and keys, always run unattended ({@code -nostdin -timeout T -timeout_error
 * -default_behaviors all,-bye}) from a private temp directory on a probed local port.
 *
 * <p>Bundled scenarios ({@link #BUNDLED_SCENARIOS}): {@code register-and-wait.xml} registers
 * {@code sip:SERVICE@localhost}, logs {@code registered}, waits {@link #pauseMillis(long)} and unregisters;
 * {@code ooc-answer-message.xml} (as {@link #outOfCallScenario(String)}) answers every MESSAGE with 200;
 * {@code send-message.xml} sends one MESSAGE with the body of key {@code body} to
 * {@code sip:SERVICE@localhost} and expects 200. A MESSAGE relayed by a proxy has a new Call-ID, so the
 * receiving sipp needs the out-of-call scenario to answer it.
 *
 * <p>A builder: not thread-safe; {@link #start()} may be called more than once, each run is independent.
 */
public final class Sipp {
    public static final Set<String> BUNDLED_SCENARIOS =
            Set.of("register-and-wait.xml", "ooc-answer-message.xml", "send-message.xml");

    /** sipp's {@code -t} modes with one socket per run. */
    public enum Transport {
        UDP("u1"), TCP("t1");

        private final String flag;

        Transport(String flag) {
            this.flag = flag;
        }

        String flag() {
            return flag;
        }
    }

    private final String scenario;
    private String outOfCallScenario;
    private String service = "service";
    private Transport transport = Transport.UDP;
    private int proxyPort;
    private long pauseMillis = -1;
    private int calls = 1;
    private Duration timeout = Duration.ofSeconds(15);
    private final Map<String, String> keys = new LinkedHashMap<>();

    private Sipp(String scenario) {
        this.scenario = scenario;
    }

    /** A run of one of the {@link #BUNDLED_SCENARIOS}. */
    public static Sipp scenario(String bundledName) {
        return new Sipp(requireBundled(bundledName));
    }

    public Sipp outOfCallScenario(String bundledName) {
        this.outOfCallScenario = requireBundled(bundledName);
        return this;
    }

    /** {@code -s}: the user part the scenarios use as {@code [service]}. */
    public Sipp service(String user) {
        this.service = user;
        return this;
    }

    public Sipp transport(Transport transport) {
        this.transport = transport;
        return this;
    }

    /** The proxy (e.g. Kamailio) at 127.0.0.1:{@code port} every request goes to. Required. */
    public Sipp proxyPort(int port) {
        this.proxyPort = port;
        return this;
    }

    /** {@code -d}: the duration of every {@code <pause/>} in the scenario. */
    public Sipp pauseMillis(long millis) {
        this.pauseMillis = millis;
        return this;
    }

    /** {@code -m}: number of calls (scenario runs) before sipp exits; default 1. */
    public Sipp calls(int count) {
        this.calls = count;
        return this;
    }

    /** {@code -key NAME VALUE}, e.g. {@code key("body", "hello")} for send-message.xml. */
    public Sipp key(String name, String value) {
        keys.put(name, value);
        return this;
    }

    /** sipp's global {@code -timeout}; the run fails (non-zero exit) when it elapses. Default 15 s. */
    public Sipp timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Starts sipp in the background; the caller owns the returned run and must close it. */
    public SippRun start() {
        if (proxyPort <= 0) {
            throw new IllegalStateException("proxyPort is required");
        }
        ScratchDir dir = ScratchDir.create("sigbridge-sipp-");
        try {
            Path scenarioFile = dir.extract(Sipp.class, "sipp/" + scenario, scenario);
            List<String> command = new ArrayList<>(List.of("sipp", "-sf", scenarioFile.toString()));
            if (outOfCallScenario != null) {
                command.addAll(List.of("-oocsf",
                        dir.extract(Sipp.class, "sipp/" + outOfCallScenario, outOfCallScenario).toString()));
            }
            if (pauseMillis >= 0) {
                command.addAll(List.of("-d", Long.toString(pauseMillis)));
            }
            keys.forEach((name, value) -> command.addAll(List.of("-key", name, value)));
            command.addAll(List.of("-s", service, "-i", "127.0.0.1", "-p", Integer.toString(FreePorts.tcpAndUdp()),
                    "-t", transport.flag(), "-m", Integer.toString(calls), "-nostdin",
                    "-default_behaviors", "all,-bye", "-timeout", timeout.toSeconds() + "s", "-timeout_error",
                    "-trace_logs", "-log_file", dir.resolve("sipp-logs.log").toString(),
                    "-trace_err", "-error_file", dir.resolve("sipp-errors.log").toString(),
                    "127.0.0.1:" + proxyPort));
            return new SippRun(dir, command, timeout);
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** Runs sipp to completion (bounded by the timeout plus a margin) and returns its exit code and output. */
    public SippResult run() {
        try (SippRun run = start()) {
            return run.await(timeout.plusSeconds(5));
        }
    }

    private static String requireBundled(String name) {
        if (!BUNDLED_SCENARIOS.contains(name)) {
            throw new IllegalArgumentException("not a bundled sipp scenario: " + name + "; have " + BUNDLED_SCENARIOS);
        }
        return name;
    }
}
