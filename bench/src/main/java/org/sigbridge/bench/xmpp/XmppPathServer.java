package org.sigbridge.bench.xmpp;

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
import org.sigbridge.testkit.peers.ProsodyServer;

/**
 * Two sigbridge instances whose every channel maps to a MUC room of one Prosody (shared occupant mode,
 * plain TCP on loopback). Clients alternate between the two, so each message crosses
 * browser → sigbridge A → Prosody → sigbridge B → browser. {@link #pid()} is Prosody's, so the
 * "server CPU" column shows whether Prosody is the limit.
 */
public final class XmppPathServer implements ServerUnderTest {
    private final ProsodyServer prosody;
    private final long prosodyPid;
    private final List<String> launch;
    private final String cpus;
    private final Function<String, List<String>> jvmOptions;
    private final Path workDir;
    private final List<SigbridgeServer> bridges = new ArrayList<>();

    public XmppPathServer(ProsodyServer prosody, long prosodyPid, List<String> launch, Function<String, List<String>> jvmOptions, String cpus,
                 Path workDir) {
        this.prosody = prosody;
        this.prosodyPid = prosodyPid;
        this.launch = List.copyOf(launch);
        this.cpus = cpus;
        this.jvmOptions = jvmOptions;
        this.workDir = workDir;
    }

    /** The accounts the two bridges log in with; register them before {@link #start()}. */
    public static List<String> accounts() {
        return List.of("bridgea", "bridgeb");
    }

    @Override
    public String name() {
        return "sigbridge-xmpp";
    }

    @Override
    public void start() {
        for (String account : accounts()) {
            SigbridgeServer bridge = new SigbridgeServer(launch, writeConfig(account),
                    jvmOptions.apply("sigbridge-xmpp-" + account), cpus, workDir,
                    "sigbridge-xmpp-" + account + ".log");
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
                          xmpp:
                            type: xmpp
                            host: 127.0.0.1
                            port: %d
                            domain: %s
                            username: %s
                            password: %s
                            tls: disabled
                            muc-service: %s
                        routes:
                          - match: "*"
                            to: xmpp
                            target: "{channel}@%s"
                        """.formatted(prosody.port(), prosody.domain(), account, ProsodyServer.PASSWORD,
                        prosody.mucService(), prosody.mucService()));
        try {
            return Files.writeString(workDir.resolve("sigbridge-xmpp-" + account + ".yml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long pid() {
        return prosodyPid;
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
