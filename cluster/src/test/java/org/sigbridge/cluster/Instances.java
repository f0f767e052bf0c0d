package org.sigbridge.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.peers.RedisServer;
import org.sigbridge.web.TestBridge;

/**
 * Bridge instances of one cluster in the test's JVM: each a whole bridge from YAML (testkit's bridge under test, a web
 * adapter on a free port) with a {@code cluster:} section naming the test's Redis. One per test; {@link #close} stops
 * every instance.
 */
final class Instances implements AutoCloseable {

    /** Short leases so that a killed instance's participants leave within a few seconds. */
    static final String FAST = """
              lease: 3s
              lease-renew: 1s
              outbound-max-age: 1s
              log-age: 30s
            """;

    private final List<TestBridge> started = new ArrayList<>();

    /** The YAML of one instance: all channels local, the web adapter on a free port, the cluster on {@code redis}. */
    static String yaml(String name, RedisServer redis, String clusterExtra) {
        return yamlWithCluster(name, "  redis: " + redis.uri() + "\n" + clusterExtra);
    }

    /**
     * The YAML of one instance: all channels local, the web adapter on a free port, and {@code cluster} (the section's
     * lines, each indented by two spaces) as the cluster section, e.g. a Sentinel group.
     */
    static String yamlWithCluster(String name, String cluster) {
        // a loaded CI machine can take longer than the default 5 s for an instance's first connection at start
        String patient = cluster.contains("connect-timeout:") ? cluster
                : cluster + (cluster.endsWith("\n") ? "" : "\n") + "  connect-timeout: 30s\n";
        return """
                bridge:
                  name: %s
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: 0
                    rate-limit: { messages-per-second: 100000, burst: 100000 }
                routes:
                  - match: "*"
                    to: local
                cluster:
                %s""".formatted(name, patient);
    }

    /**
     * The YAML of a bridge with a web adapter and a SIP adapter on {@code sipPort} whose proxy is the test's Kamailio on
     * {@code kamailioPort}, every channel on SIP. Only a bridge that registers channels gets the MESSAGEs Kamailio routes
     * to a channel's AOR.
     *
     * @param sipExtra   more lines of the SIP adapter (each indented by four spaces), or empty
     * @param routeExtra more lines of the route (each indented by four spaces), or empty
     * @param cluster    the cluster section's lines (each indented by two spaces), or {@code null} for a bridge on its own
     */
    static String sipYaml(String name, int sipPort, int kamailioPort, boolean registerChannels, String sipExtra,
                          String routeExtra, String cluster) {
        String base = """
                bridge:
                  name: %s
                  shutdown-grace: 1s
                adapters:
                  web:
                    type: web
                    port: 0
                  sip:
                    type: sip
                    listen-port: %d
                    domain: localhost
                    proxy: 127.0.0.1:%d
                    register-channels: %s
                    register-expires: 60s
                    request-timeout: 3s
                %sroutes:
                  - match: "*"
                    to: sip
                %s""".formatted(name, sipPort, kamailioPort, registerChannels, sipExtra, routeExtra);
        return cluster == null ? base : base + "cluster:\n" + cluster;
    }

    /**
     * Collects the text frames {@code client} receives until there are {@code count} in {@code into} (frames before
     * the call that were not taken count too), for at most {@code timeout}.
     */
    static List<String> awaitFrames(org.sigbridge.testkit.web.WsClient client, List<String> into, int count, Duration timeout)
            throws Exception {
        Poll.until(count + " frames", timeout, () -> {
            into.addAll(client.drainText());
            return into.size() >= count;
        });
        return into;
    }

    TestBridge start(String name, RedisServer redis, String clusterExtra) throws Exception {
        TestBridge bridge = TestBridge.startYaml(yaml(name, redis, clusterExtra));
        started.add(bridge);
        return bridge;
    }

    /** Starts an instance from a whole config of the test's own. */
    TestBridge startYaml(String yaml) throws Exception {
        TestBridge bridge = TestBridge.startYaml(yaml);
        started.add(bridge);
        return bridge;
    }

    TestBridge start(String name, RedisServer redis) throws Exception {
        return start(name, redis, FAST);
    }

    /** Waits until every one of {@code bridges} lists {@code count} participants on {@code channel}. */
    static void awaitRoster(String channel, int count, TestBridge... bridges) throws Exception {
        for (TestBridge b : bridges) {
            Poll.until(b.bridge().config().bridge().name() + " sees " + count + " on " + channel, Duration.ofSeconds(10),
                    Duration.ofMillis(20), () -> b.bridge().hub().participants(channel).size(), n -> n == count);
        }
    }

    /** Waits until the bridge's cluster leg is {@code status}. */
    static void awaitLeg(TestBridge b, LegState.Status status, Duration timeout) throws Exception {
        Poll.until("cluster leg " + status, timeout, Duration.ofMillis(20),
                () -> b.bridge().ops().legStates().get("cluster"), s -> s != null && s.status() == status);
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }
}
