package org.sigbridge.xmpp.prosody;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.sigbridge.SigBridge;
import org.sigbridge.hub.Hub;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.peers.ProsodyServer;
import org.sigbridge.xmpp.XmppAdapterFactory;

/**
 * testkit's bridge under test with the xmpp adapter alone, routed to a test Prosody, and what the XMPP tests
 * add: recording browsers whose rooms are joined before they are handed out, waits on the leg's room counts,
 * and the adapter's {@code sigbridge_xmpp_*} counters.
 */
final class BridgeUnderTest implements AutoCloseable {

    final SigBridge bridge;
    private final org.sigbridge.testkit.bridge.BridgeUnderTest under;
    private final Set<String> rooms = new HashSet<>();

    private BridgeUnderTest(org.sigbridge.testkit.bridge.BridgeUnderTest under) {
        this.under = under;
        this.bridge = under.bridge();
    }

    /** Routes every channel to rooms on the server's MUC service; {@code extra} adds keys to the xmpp section. */
    static BridgeUnderTest start(ProsodyServer server, String name, String extra) throws Exception {
        return start(server, name, extra, server.port());
    }

    /** As {@link #start(ProsodyServer, String, String)}, connecting to {@code port} (a fault proxy in front of it). */
    static BridgeUnderTest start(ProsodyServer server, String name, String extra, int port) throws Exception {
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
                """.formatted(name, port, server.domain(), extra.contains("tls:") ? "" : "tls: disabled",
                server.mucService(), extra.contains("reconnect-backoff") ? "" : "reconnect-backoff-base: 100ms\n    reconnect-backoff-cap: 1s",
                extra.contains("room-grace") ? "" : "room-grace: 1s", extra.indent(4), server.mucService());
        return new BridgeUnderTest(org.sigbridge.testkit.bridge.BridgeUnderTest.fromYaml(yaml,
                Map.of("XMPP_PASSWORD", "secret"), List.of(new XmppAdapterFactory())));
    }

    Hub hub() {
        return under.hub();
    }

    /** Subscribes a recording browser and waits until the leg says every room it opened so far is joined. */
    RecordingEndpoint browser(String id, String channel) {
        RecordingEndpoint endpoint = new RecordingEndpoint(id);
        if (!(hub().subscribe(endpoint, channel) instanceof SubscribeResult.Subscribed)) {
            throw new AssertionError("subscribe refused");
        }
        rooms.add(channel.toLowerCase(Locale.ROOT));
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
        try {
            return under.awaitLeg("xmpp", condition, "reached " + what, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for the leg's next report that satisfies {@code condition}, in report order (never the current state). */
    LegState awaitReport(Predicate<LegState> condition, String what, Duration timeout) {
        try {
            return under.awaitReport("xmpp", condition, what, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** This bridge's metrics in the Prometheus text format, as {@code /metrics} serves them. */
    String scrape() {
        return under.scrape();
    }

    /** The current value of {@code sigbridge_xmpp_<name>_total} for this bridge's xmpp adapter. */
    long counter(String name) {
        return (long) under.sample(series(name));
    }

    /** Waits (asking every 20 ms) until {@code counter(name)} reaches {@code atLeast}. */
    void awaitCounter(String name, long atLeast, Duration timeout) throws Exception {
        under.awaitSample(series(name), atLeast, timeout);
    }

    private static String series(String name) {
        return "sigbridge_xmpp_" + name + "_total{adapter=\"xmpp\"}";
    }

    @Override
    public void close() {
        under.close();
    }
}
