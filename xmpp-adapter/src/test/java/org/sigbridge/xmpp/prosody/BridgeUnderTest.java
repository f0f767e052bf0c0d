package org.sigbridge.xmpp.prosody;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sigbridge.SigBridge;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.hub.Hub;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.testkit.recording.RecordingEndpoint;
import org.sigbridge.xmpp.XmppAdapterFactory;

/** A real bridge (hub + xmpp adapter) configured from YAML against a test Prosody. */
final class BridgeUnderTest implements AutoCloseable {

    final SigBridge bridge;
    final LinkedBlockingQueue<LegState> legs = new LinkedBlockingQueue<>();

    private BridgeUnderTest(SigBridge bridge) {
        this.bridge = bridge;
        bridge.hub().onLegState(legs::add);
    }

    /** Routes every channel to rooms on the server's MUC service; {@code extra} adds keys to the xmpp section. */
    static BridgeUnderTest start(ProsodyServer server, String name, String extra) throws Exception {
        String yaml = """
                bridge:
                  name: %s
                  shutdown-grace: 2s
                adapters:
                  xmpp:
                    type: xmpp
                    host: 127.0.0.1
                    port: %d
                    domain: %s
                    username: alice
                    password: ${XMPP_PASSWORD}
                    %s
                    muc-service: %s
                    %s
                    room-grace: 1s
                %s
                routes:
                  - match: "*"
                    to: xmpp
                    target: "{channel}@%s"
                """.formatted(name, server.port(), server.domain(), extra.contains("tls:") ? "" : "tls: disabled",
                server.mucService(), extra.contains("reconnect-backoff") ? "" : "reconnect-backoff-base: 100ms\n    reconnect-backoff-cap: 1s",
                extra.indent(4), server.mucService());
        BridgeConfig config = new ConfigLoader(List.of(new XmppAdapterFactory()), Map.of("XMPP_PASSWORD", "secret")::get)
                .parse(yaml, name + ".yml");
        SigBridge bridge = SigBridge.create(config, List.of(new XmppAdapterFactory()), Clock.systemUTC());
        BridgeUnderTest b = new BridgeUnderTest(bridge);
        bridge.start();
        return b;
    }

    Hub hub() {
        return bridge.hub();
    }

    /** Subscribes a recording browser and waits until the leg says its room is joined. */
    RecordingEndpoint browser(String id, String channel) {
        RecordingEndpoint endpoint = new RecordingEndpoint(id);
        if (!(hub().subscribe(endpoint, channel) instanceof SubscribeResult.Subscribed)) {
            throw new AssertionError("subscribe refused");
        }
        awaitLeg(LegState.Status.READY, Duration.ofSeconds(10));
        return endpoint;
    }

    /** Waits for the adapter to report {@code status} (or finds it already reported). */
    LegState awaitLeg(LegState.Status status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        LegState current = hub().legStates().get("xmpp");
        if (current != null && current.status() == status && legs.isEmpty()) {
            return current;
        }
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                LegState s = legs.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (s == null) {
                    throw new AssertionError("leg never reached " + status + "; last " + hub().legStates().get("xmpp"));
                }
                if (s.status() == status && (legs.isEmpty() || status != LegState.Status.READY)) {
                    return s;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        bridge.close();
    }
}
