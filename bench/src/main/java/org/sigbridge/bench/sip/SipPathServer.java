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
    private final List<String> options;
    private final String name;

    /** @param options extra {@code key: value} lines for the bridges' sip adapter section */
    public SipPathServer(BenchKamailio kamailio, long kamailioPid, List<String> launch, Function<String, List<String>> jvmOptions, String cpus,
                 List<String> options, Path workDir) {
        this(kamailio, kamailioPid, launch, jvmOptions, cpus, options, workDir, "sigbridge-sip");
    }

    /** @param name the column of this pair (and the prefix of its bridges' logs), e.g. for the compared jar of an A/B */
    public SipPathServer(BenchKamailio kamailio, long kamailioPid, List<String> launch, Function<String, List<String>> jvmOptions, String cpus,
                 List<String> options, Path workDir, String name) {
        super(launch, jvmOptions, cpus, workDir);
        this.name = name;
        this.options = List.copyOf(options);
        this.kamailio = kamailio;
        this.kamailioPid = kamailioPid;
    }

    @Override
    public String name() {
        return name;
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
                    %s
                routes:
                  - match: "*"
                    to: sip
                    options:
                      transport: tcp
                """.formatted(FreePorts.tcpAndUdp(), kamailio.port(), account, extra());
    }

    /** The extra sip adapter keys as YAML lines at the section's indentation. */
    private String extra() {
        return String.join("\n    ", options);
    }

    @Override
    public long pid() {
        return kamailioPid;
    }
}
