package org.sigbridge.bench.sip;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import org.sigbridge.bench.scenario.BridgePairServer;
import org.sigbridge.testkit.peers.FreePorts;

/**
 * Two sigbridge instances whose every channel goes to {@code sip:<channel>@localhost} through one
 * Kamailio over TCP. Each registers its open channels' AORs, so Kamailio forks a channel's MESSAGE to both
 * bridges; the sender drops its own by Call-ID. Clients alternate between the bridges. {@link #pid()} is
 * Kamailio's main process (its workers are children; CPU is sampled from the main process only).
 */
public final class SipPathServer extends BridgePairServer {
    private final BenchKamailio kamailio;
    private final long kamailioPid;

    public SipPathServer(BenchKamailio kamailio, long kamailioPid, List<String> launch, Function<String, List<String>> jvmOptions, String cpus,
                 Path workDir) {
        super(launch, jvmOptions, cpus, workDir);
        this.kamailio = kamailio;
        this.kamailioPid = kamailioPid;
    }

    @Override
    public String name() {
        return "sigbridge-sip";
    }

    @Override
    protected String upstreamSection(String account) {
        return """
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
                """.formatted(FreePorts.tcpAndUdp(), kamailio.port(), account);
    }

    @Override
    public long pid() {
        return kamailioPid;
    }
}
