package org.sigbridge.bench.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.sigbridge.bench.load.WireDialect;
import org.sigbridge.bench.scenario.ServerUnderTest;
import org.sigbridge.bench.scenario.SigbridgeServer;
import org.sigbridge.testkit.peers.FreePorts;

/**
 * Two sigbridge instances whose every channel goes to {@code sip:<channel>@localhost} through one
 * Kamailio over TCP. Each registers its open channels' AORs, so Kamailio forks a channel's MESSAGE to both
 * bridges; the sender drops its own by Call-ID. Clients alternate between the bridges. {@link #pid()} is
 * Kamailio's main process (its workers are children; CPU is sampled from the main process only).
 */
public final class SipPathServer implements ServerUnderTest {
    private final BenchKamailio kamailio;
    private final long kamailioPid;
    private final List<String> launch;
    private final String cpus;
    private final Function<String, List<String>> jvmOptions;
    private final Path workDir;
    private final List<SigbridgeServer> bridges = new ArrayList<>();

    public SipPathServer(BenchKamailio kamailio, long kamailioPid, List<String> launch, Function<String, List<String>> jvmOptions, String cpus,
                 Path workDir) {
        this.kamailio = kamailio;
        this.kamailioPid = kamailioPid;
        this.launch = List.copyOf(launch);
        this.cpus = cpus;
        this.jvmOptions = jvmOptions;
        this.workDir = workDir;
    }

    @Override
    public String name() {
        return "sigbridge-sip";
    }

    @Override
    public void start() {
        for (String account : List.of("bridgea", "bridgeb")) {
            SigbridgeServer bridge = new SigbridgeServer(launch, writeConfig(account),
                    jvmOptions.apply("sigbridge-sip-" + account), cpus, workDir,
                    "sigbridge-sip-" + account + ".log");
            bridge.start();
            bridges.add(bridge);
        }
    }

    private Path writeConfig(String account) {
        String yaml = SigbridgeServer.BENCH_CONFIG.replace("name: sigbridge-bench", "name: bench-" + account)
                .replace("""
                        routes:
                          - match: "*"
                            to: local
                        """, """
                          sip:
                            type: sip
                            listen-host: 127.0.0.1
                            listen-port: %d
                            domain: localhost
                            proxy: 127.0.0.1:%d
                            username: %s
                            register-expires: 60s
                            max-inbound-per-second: 1000000
                        routes:
                          - match: "*"
                            to: sip
                            options:
                              transport: tcp
                        """.formatted(FreePorts.tcpAndUdp(), kamailio.port(), account));
        try {
            return Files.writeString(workDir.resolve("sigbridge-sip-" + account + ".yml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long pid() {
        return kamailioPid;
    }

    @Override
    public URI url(WireDialect dialect) {
        return bridges.get(0).url(dialect);
    }

    @Override
    public List<URI> urls(WireDialect dialect) {
        return bridges.stream().map(b -> b.url(dialect)).toList();
    }

    @Override
    public void close() {
        bridges.forEach(SigbridgeServer::close);
        bridges.clear();
    }
}
