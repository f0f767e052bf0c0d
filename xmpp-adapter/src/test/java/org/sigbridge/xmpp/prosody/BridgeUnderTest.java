package org.sigbridge.xmpp.prosody;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.sigbridge.SigBridge;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.hub.Hub;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.xmpp.XmppAdapterFactory;

/** A real bridge (hub + xmpp adapter) configured from YAML against a test Prosody. */
final class BridgeUnderTest implements AutoCloseable {

    final SigBridge bridge;
    final LinkedBlockingQueue<LegState> legs = new LinkedBlockingQueue<>();
    private final Set<String> rooms = new HashSet<>();

    private BridgeUnderTest(SigBridge bridge) {
        this.bridge = bridge;
        bridge.ops().onLegState(legs::add);
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
                    %s
                %s
                routes:
                  - match: "*"
                    to: xmpp
                    target: "{channel}@%s"
                """.formatted(name, server.port(), server.domain(), extra.contains("tls:") ? "" : "tls: disabled",
                server.mucService(), extra.contains("reconnect-backoff") ? "" : "reconnect-backoff-base: 100ms\n    reconnect-backoff-cap: 1s",
                extra.contains("room-grace") ? "" : "room-grace: 1s", extra.indent(4), server.mucService());
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

    /** Subscribes a recording browser and waits until the leg says every room it opened so far is joined. */
    RecordingEndpoint browser(String id, String channel) {
        RecordingEndpoint endpoint = new RecordingEndpoint(id);
        if (!(hub().subscribe(endpoint, channel) instanceof SubscribeResult.Subscribed)) {
            throw new AssertionError("subscribe refused");
        }
        rooms.add(channel.toLowerCase(java.util.Locale.ROOT));
        awaitRoomsJoined(rooms.size(), Duration.ofSeconds(10));
        return endpoint;
    }

    /** Waits until the leg is READY with exactly {@code n} rooms joined and none joining or failing. */
    LegState awaitRoomsJoined(int n, Duration timeout) {
        String rooms = "rooms: " + n + " joined, 0 joining, 0 failing";
        return awaitLeg(s -> s.status() == LegState.Status.READY && s.detail().endsWith(rooms), "READY with " + rooms, timeout);
    }

    /** Waits for the adapter to report {@code status} (or finds it the latest report). */
    LegState awaitLeg(LegState.Status status, Duration timeout) {
        return awaitLeg(s -> s.status() == status, status.toString(), timeout);
    }

    /** Waits for a leg state report that satisfies {@code condition} (or finds it the latest report). */
    LegState awaitLeg(Predicate<LegState> condition, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        LegState current = bridge.ops().legStates().get("xmpp");
        if (current != null && condition.test(current)) {
            legs.clear();
            return current;
        }
        try {
            while (true) {
                LegState s = legs.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (s == null) {
                    throw new AssertionError("leg never reached " + what + "; last " + bridge.ops().legStates().get("xmpp"));
                }
                if (condition.test(s)) {
                    return s;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** This bridge's metrics in the Prometheus text format, as {@code /metrics} serves them. */
    String scrape() {
        return org.sigbridge.ops.PrometheusMetrics.of(bridge.ops().metrics()).orElseThrow().scrapeText();
    }

    /** The current value of {@code sigbridge_xmpp_<name>_total} for this bridge's xmpp adapter. */
    long counter(String name) {
        String prefix = "sigbridge_xmpp_" + name + "_total{adapter=\"xmpp\"} ";
        return scrape().lines().filter(l -> l.startsWith(prefix))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length()).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + prefix));
    }

    /** Waits (polling every 20 ms) until {@code counter(name)} reaches {@code atLeast}. */
    void awaitCounter(String name, long atLeast, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counter(name) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("sigbridge_xmpp_" + name + "_total stayed at " + counter(name) + " < " + atLeast);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Override
    public void close() {
        bridge.close();
    }
}
