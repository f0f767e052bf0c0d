package org.sigbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sigbridge.cluster.wire.ChannelKeys;
import org.sigbridge.spi.LegState;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.fault.Ledger;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.peers.RedisSentinel;
import org.sigbridge.testkit.peers.RedisServer;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * Redis Sentinel failover mid-stream (docs/cluster.md §6 and §10): a real master, a real replica and two real
 * Sentinels; two bridge instances find the master through the Sentinels ({@code cluster.sentinel}) and a
 * channels-dialect client on each sends envelopes with ids while the other receives them, counted in a {@link Ledger}
 * (delivered, reported to the sender, lost, duplicated).
 * <ul>
 *   <li>The master is killed ({@code SIGKILL}); Sentinel promotes the replica, which has every write. The instances
 *       follow the new master: nothing lost, nothing doubled, per-sender order kept.</li>
 *   <li>The replica stops replicating (pointed at a dead address) while the master takes more appends, then the
 *       master is killed and Sentinel promotes the replica that missed them: the channel's log is rolled back under the
 *       same epoch. The lagging-replica guard starts a new epoch at the first append; nothing is lost silently.</li>
 * </ul>
 */
@Timeout(120)
class SentinelFailoverTest {

    private static final String MASTER = "sbmaster";
    private static final String CHANNEL = "failover-room";
    private static final int PER_SENDER = 400;
    private static final int RATE = 200;

    @Test
    void aMasterKilledMidStreamFailsOverToItsReplicaAndNothingIsLostOrDoubled() throws Exception {
        Ledger ledger = new Ledger("cluster: Sentinel failover, master killed (replica in sync)");
        try (Group group = Group.start()) {
            Traffic traffic = group.run(ledger, () -> group.master.kill());
            assertEquals(0, traffic.outOfOrder(s -> true), "deliveries out of per-sender order: " + traffic.outOfOrderExamples());
        }
        System.out.println(ledger.row());
        assertEquals(List.of(), ledger.lost(), ledger.row());
        assertEquals(List.of(), ledger.duplicated(), ledger.row());
    }

    @Test
    void aReplicaThatMissedWritesIsPromotedAndTheGuardStartsANewEpoch() throws Exception {
        Ledger ledger = new Ledger("cluster: Sentinel failover to a replica that missed writes");
        String meta = ChannelKeys.of("sb", CHANNEL).meta();
        String[] epochs = new String[2];
        long[] tops = new long[2];
        try (Group group = Group.start()) {
            group.run(ledger, () -> {
                // The replica stops replicating and keeps what it has; the master goes on appending for a while.
                // First it must have some of the log (on a loaded machine the action can come before it has any).
                Poll.until("the replica holds part of the channel's log", Duration.ofSeconds(20), Duration.ofMillis(10),
                        () -> group.replica.cli("HGET", meta, "t").trim(), t -> !t.isEmpty());
                group.replica.cli("REPLICAOF", "127.0.0.1", String.valueOf(FreePorts.tcpAndUdp()));
                epochs[0] = group.replica.cli("HGET", meta, "e").trim();
                tops[0] = Long.parseLong(group.replica.cli("HGET", meta, "t").trim());
                Poll.until("the master takes 50 appends the replica misses", Duration.ofSeconds(20), Duration.ofMillis(10),
                        () -> Long.parseLong(group.master.cli("HGET", meta, "t").trim()), t -> t >= tops[0] + 50);
                group.master.kill();
            });
            epochs[1] = group.replica.cli("HGET", meta, "e").trim();
        }
        System.out.println(ledger.row() + " (replica detached at offset " + tops[0] + " of epoch " + epochs[0] + "; epoch now "
                + epochs[1] + ")");
        assertNotEquals(epochs[0], epochs[1], "the promoted replica's log was rolled back under epoch " + epochs[0]
                + ": the first append after the failover must start a new epoch");
        assertEquals(List.of(), ledger.lost(), "delivered or reported, never lost silently: " + ledger.row());
        assertEquals(List.of(), ledger.duplicated(), "what the new epoch holds again is dropped by id where it was delivered: "
                + ledger.row());
    }

    /**
     * The lagging-replica loss made deterministic: instance b (a child JVM) is stopped and its subscription killed, the
     * replica stops replicating, a appends 20 envelopes that the master answers, the master is killed and Sentinel
     * promotes the replica, which never had them; then b goes on. Only a's retained tail can bring them back.
     */
    @Test
    void envelopesTheMasterAnsweredAndThePromotedReplicaMissedStillReachAReceiverThatHadNotReadThem() throws Exception {
        String meta = ChannelKeys.of("sb", CHANNEL).meta();
        try (Group group = Group.start(); ChildInstance b = ChildInstance.start(group.yaml("b"))) {
            TestBridge a = group.bridges().startYaml(group.yaml("a"));
            try (WsClient ca = WsClient.connect(a.ws("/")); WsClient cb = WsClient.connect(b.ws("/"))) {
                ca.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
                cb.send("{\"open\":true,\"channel\":\"" + CHANNEL + "\"}");
                Instances.awaitRoster(CHANNEL, 2, a);
                ca.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"warm\"}");
                cb.expect("\"warm\"");
                Poll.until("the replica has 'warm'", Duration.ofSeconds(20), Duration.ofMillis(20),
                        () -> group.replica().cli("HGET", meta, "t").trim(), t -> t.equals("1"));

                b.pause();
                group.master().cli("CLIENT", "KILL", "TYPE", "pubsub"); // what the master publishes now never reaches b
                group.replica().cli("REPLICAOF", "127.0.0.1", String.valueOf(FreePorts.tcpAndUdp()));
                for (int i = 1; i <= 20; i++) {
                    ca.send("{\"id\":\"e-" + i + "\",\"channel\":\"" + CHANNEL + "\",\"data\":\"e-" + i + "\"}");
                }
                Poll.until("the master appended the 20", Duration.ofSeconds(20), Duration.ofMillis(20),
                        () -> group.master().cli("HGET", meta, "t").trim(), t -> t.equals("21"));
                group.master().kill();
                Poll.until("Sentinel names the replica master", Duration.ofSeconds(30), Duration.ofMillis(50),
                        group.s1()::masterPort, p -> p == group.replica().port());
                b.resume();

                List<String> got = Instances.awaitFrames(cb, new java.util.ArrayList<>(), 20, Duration.ofSeconds(60));
                assertEquals(java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i -> "\"e-" + i + "\"").toList(), got,
                        "every envelope the old master had answered, once, in order (and not 'warm' a second time)");
                ca.send("{\"channel\":\"" + CHANNEL + "\",\"data\":\"after\"}");
                assertEquals("\"after\"", Instances.awaitFrames(cb, got, 21, Duration.ofSeconds(30)).get(20));
                cb.expectNothing(Duration.ofMillis(500));
            }
        }
    }

    /** A fault: runs on the test thread while the senders go on. */
    private interface Fault {
        void inject() throws Exception;
    }

    /** A master, its replica, two Sentinels and two bridge instances that find the master through them. */
    private record Group(RedisServer master, RedisServer replica, RedisSentinel s1, RedisSentinel s2, Instances bridges)
            implements AutoCloseable {

        static Group start() throws Exception {
            RedisServer master = RedisServer.start();
            RedisServer replica = RedisServer.builder().extraConfig("replicaof 127.0.0.1 " + master.port() + "\n").start();
            Poll.until("the replica is in sync", Duration.ofSeconds(20), Duration.ofMillis(20),
                    () -> replica.cli("INFO", "replication"), info -> info.contains("master_link_status:up"));
            RedisSentinel s1 = RedisSentinel.start(MASTER, master.port(), Duration.ofMillis(1000));
            RedisSentinel s2 = RedisSentinel.start(MASTER, master.port(), Duration.ofMillis(1000));
            for (RedisSentinel s : List.of(s1, s2)) {
                Poll.until("the Sentinel knows the replica", Duration.ofSeconds(20), Duration.ofMillis(50),
                        () -> s.cli("SENTINEL", "replicas", MASTER), r -> r.contains(String.valueOf(replica.port())));
            }
            return new Group(master, replica, s1, s2, new Instances());
        }

        String yaml(String name) {
            return Instances.yamlWithCluster(name, """
                      sentinel:
                        master: %s
                        nodes: ["%s", "%s"]
                      lease: 3s
                      lease-renew: 1s
                      outbound-max-age: 15s
                      outbound-capacity: 10000
                      log-age: 60s
                    """.formatted(MASTER, s1.address(), s2.address()));
        }

        /** Streams on the channel from a client on each instance, injects the fault a third in, waits for the failover. */
        Traffic run(Ledger ledger, Fault fault) throws Exception {
            TestBridge a = bridges.startYaml(yaml("a"));
            TestBridge b = bridges.startYaml(yaml("b"));
            Traffic traffic = new Traffic((s, r) -> ledger);
            try (LedgerClient ca = traffic.add(LedgerClient.open("a", a.ws("/"), CHANNEL, traffic.sink()));
                 LedgerClient cb = traffic.add(LedgerClient.open("b", b.ws("/"), CHANNEL, traffic.sink()))) {
                Instances.awaitRoster(CHANNEL, 2, a, b);
                traffic.start(PER_SENDER, RATE, null);
                traffic.awaitSent(PER_SENDER, 1.0 / 3);
                fault.inject();
                Poll.until("Sentinel names the replica master", Duration.ofSeconds(30), Duration.ofMillis(50),
                        s1::masterPort, p -> p == replica.port());
                for (TestBridge t : List.of(a, b)) {
                    Instances.awaitLeg(t, LegState.Status.READY, Duration.ofSeconds(30));
                }
                traffic.finish(null);
                try {
                    Poll.until("every delivery owed settled", Duration.ofSeconds(5), () -> ledger.lost().isEmpty());
                } catch (AssertionError lostForGood) {
                    // counted in the row; the caller's assertion names it
                }
            }
            return traffic;
        }

        @Override
        public void close() {
            bridges.close();
            s1.close();
            s2.close();
            replica.close();
            master.close();
        }
    }
}
