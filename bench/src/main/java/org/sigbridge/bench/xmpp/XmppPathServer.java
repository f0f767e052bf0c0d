package org.sigbridge.bench.xmpp;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import org.sigbridge.bench.scenario.BridgePairServer;
import org.sigbridge.testkit.peers.ProsodyServer;

/**
 * Two sigbridge instances whose every channel maps to a MUC room of one Prosody (shared occupant mode,
 * plain TCP on loopback). Clients alternate between the two, so each message crosses
 * browser → sigbridge A → Prosody → sigbridge B → browser. {@link #pid()} is Prosody's, so the
 * "server CPU" column shows whether Prosody is the limit.
 */
public final class XmppPathServer extends BridgePairServer {
    private final ProsodyServer prosody;
    private final long prosodyPid;
    private final String name;
    private String body = "json";
    private String noStore = "";

    public XmppPathServer(ProsodyServer prosody, long prosodyPid, List<String> launch, Function<String, List<String>> jvmOptions, String cpus,
                 Path workDir) {
        this(prosody, prosodyPid, launch, jvmOptions, cpus, workDir, "sigbridge-xmpp");
    }

    /** @param name the server's name in the tables, logs and config files */
    public XmppPathServer(ProsodyServer prosody, long prosodyPid, List<String> launch, Function<String, List<String>> jvmOptions, String cpus,
                 Path workDir, String name) {
        super(launch, jvmOptions, cpus, workDir);
        this.prosody = prosody;
        this.prosodyPid = prosodyPid;
        this.name = name;
    }

    /** The bridges' {@code body} setting ({@code json}, the default, or {@code omit}); call before {@link #start()}. */
    public XmppPathServer body(String mode) {
        this.body = mode;
        return this;
    }

    /**
     * The bridges' {@code no-store} setting ({@code always}, {@code auto}, {@code never}); empty for none, the
     * release's default (an older jar reads only {@code true}/{@code false}). Call before {@link #start()}.
     */
    public XmppPathServer noStore(String mode) {
        this.noStore = mode;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected String upstreamSection(String account) {
        return """
                  xmpp:
                    type: xmpp
                    host: 127.0.0.1
                    port: %d
                    domain: %s
                    username: %s
                    password: %s
                    tls: disabled
                    muc-service: %s
                    body: %s%s
                    inbound-limit: {occupant-per-second: 1000000, room-per-second: 1000000, queue-size: 1000000}
                routes:
                  - match: "*"
                    to: xmpp
                    target: "{channel}@%s"
                """.formatted(prosody.port(), prosody.domain(), account, ProsodyServer.PASSWORD,
                        prosody.mucService(), body,
                        noStore.isEmpty() ? "" : "\n    no-store: " + noStore, prosody.mucService());
    }

    @Override
    public long pid() {
        return prosodyPid;
    }
}
