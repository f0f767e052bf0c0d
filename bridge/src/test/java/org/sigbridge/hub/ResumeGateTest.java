package org.sigbridge.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.HistorySettings;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.metrics.BridgeMetrics;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.spi.ResumeResult;
import org.sigbridge.spi.cluster.ClusterChannel;
import org.sigbridge.spi.cluster.ClusterContext;
import org.sigbridge.spi.cluster.ClusterLayer;
import org.sigbridge.spi.cluster.LogRead;

/**
 * The hub's side of a resume across instances (docs/design.md §3.8, "Across instances"), with a cluster layer whose log
 * read the test answers: live deliveries wait while the log is read, the replay leaves out what the client's position
 * covers, held copies of replayed envelopes are dropped, and an envelope the old instance appends late is dropped
 * too. Positions keep their one-instance form off a cluster.
 */
class ResumeGateTest {

    private static final String OLD = "oldinstanc"; // the history epoch of the instance the client left
    private static final Position.Mark LOG_10 = new Position.Mark("L1", 10);

    /** A cluster layer whose channels answer {@code readAfter} with a future the test completes. */
    private static final class AnsweringCluster implements ClusterLayer {
        final CompletableFuture<LogRead> read = new CompletableFuture<>();
        final List<Position.Mark> asked = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void start(ClusterContext context) {
        }

        @Override
        public ClusterChannel open(RouteMatch route) {
            return new ClusterChannel() {
                @Override
                public boolean reaches(String participantId) {
                    return false;
                }

                @Override
                public CompletionStage<LogRead> readAfter(Position.Mark after) {
                    asked.add(after);
                    return read;
                }

                @Override
                public void close() {
                }

                @Override
                public String id() {
                    return "n:cluster";
                }

                @Override
                public String adapter() {
                    return "cluster";
                }

                @Override
                public DeliveryResult deliver(Envelope envelope) {
                    return DeliveryResult.QUEUED;
                }

                @Override
                public void presenceChanged(PresenceEvent event) {
                }
            };
        }

        @Override
        public CompletionStage<Boolean> probePresence(String channel) {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public List<String> describe() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }

    /** Records the data of each envelope with the position it came with. */
    private static final class Client implements Endpoint {
        final String id;
        final List<String> got = Collections.synchronizedList(new ArrayList<>());
        final List<Position> positions = Collections.synchronizedList(new ArrayList<>());

        Client(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String adapter() {
            return "web";
        }

        @Override
        public DeliveryResult deliver(Envelope envelope) {
            throw new AssertionError("the hub must hand subscribers their position");
        }

        @Override
        public DeliveryResult deliver(Envelope envelope, Position position) {
            got.add(envelope.message().asText());
            positions.add(position);
            return DeliveryResult.DELIVERED;
        }
    }

    private final AnsweringCluster cluster = new AnsweringCluster();
    private final Hub hub = new Hub("t", RoutingTable.allLocal(), Map.of(), Clock.systemUTC(), new BridgeMetrics(),
            new HistorySettings(100, Duration.ofMinutes(2)));
    private final ClusterContext context = hub.attachCluster(cluster);

    private static Envelope envelope(String data, String from) {
        return new Envelope("id-" + data, "room", JsonValue.string(from), JsonValue.string(data), new Origin("web", from), Instant.now());
    }

    private static LogRead.Entry entry(long offset, String stampEpoch, long stampOffset, String data, String from) {
        return new LogRead.Entry(offset, "i", new Position.Mark(stampEpoch, stampOffset), envelope(data, from));
    }

    @Test
    void aResumeFromAnotherInstanceReplaysTheLogThenWhatWaitedEachOnce() {
        Client here = new Client("here");
        hub.subscribe(here, "room");
        Client back = new Client("back");
        Position since = new Position(OLD, 3, LOG_10, null);
        CompletableFuture<ResumeResult> answer = hub.resumeAsync(back, "room", since, Set.of("old-endpoint")).toCompletableFuture();
        assertEquals(List.of(LOG_10), cluster.asked, "the log is read after the position's cut");
        assertTrue(!answer.isDone(), "the answer waits for the log");

        hub.publish(envelope("live-1", "here"), here); // this instance's own, while the log is read
        context.publishFromCluster(envelope("z-7", "zed"), new Position.Mark("L1", 13), new Position.Mark("zinstance", 7), id -> true);
        assertEquals(List.of(), back.got, "live deliveries wait for the replay");

        cluster.read.complete(new LogRead.Entries(new Position.Mark("L1", 13), List.of(
                entry(11, OLD, 3, "old-3", "someone"),      // the client had it before it moved
                entry(12, OLD, 4, "old-4", "someone"),      // it had not
                entry(13, "zinstance", 7, "z-7", "zed"),    // nor this one, which also waited live
                entry(14, OLD, 5, "own", "old-endpoint")))); // its own, from its former endpoint
        ResumeResult r = answer.join();
        assertInstanceOf(ResumeResult.Recovered.class, r);
        assertEquals(2, ((ResumeResult.Recovered) r).replayed());
        assertEquals(List.of("old-4", "z-7", "live-1"), back.got, "the missed ones in log order, then what waited, each once");

        context.publishFromCluster(envelope("old-2", "someone"), new Position.Mark("L1", 15), new Position.Mark(OLD, 2), id -> true);
        context.publishFromCluster(envelope("old-6", "someone"), new Position.Mark("L1", 16), new Position.Mark(OLD, 6), id -> true);
        assertEquals(List.of("old-4", "z-7", "live-1", "old-6"), back.got, "what the old instance appends late and the client had is dropped");
        assertEquals(List.of("z-7", "old-2", "old-6"), here.got, "other subscribers see no difference (live-1 was its own)");
        Position last = back.positions.get(back.positions.size() - 1);
        assertEquals(new Position.Mark("L1", 16), last.log());
        assertEquals(last.wire(), Position.parse(last.wire()).orElseThrow().wire());
    }

    @Test
    void aLogThatCannotSayIsNotRecoveredAndWhatWaitedIsDeliveredAsItCame() {
        Client back = new Client("back");
        CompletableFuture<ResumeResult> answer = hub.resumeAsync(back, "room", new Position(OLD, 3, LOG_10, null), Set.of())
                .toCompletableFuture();
        context.publishFromCluster(envelope("z-7", "zed"), new Position.Mark("L1", 13), new Position.Mark("zinstance", 7), id -> true);
        cluster.read.complete(new LogRead.Unavailable("the log no longer holds offset 11"));
        assertInstanceOf(ResumeResult.NotRecovered.class, answer.join());
        assertEquals(List.of("z-7"), back.got);
    }

    @Test
    void afterTheLogBeganAgainPositionsCarryTheStampsTheNewCutCannotStandForUntilItPassesThem() {
        Client c = new Client("c");
        hub.subscribe(c, "room");
        Client t = new Client("t");
        hub.subscribe(t, "room");
        context.publishFromCluster(envelope("a-1", "s"), new Position.Mark("L1", 1), new Position.Mark("ainstance", 1), id -> true);
        context.publishFromCluster(envelope("a-2", "s"), new Position.Mark("L1", 2), new Position.Mark("ainstance", 2), id -> true);
        context.publishFromCluster(envelope("z-9", "z"), new Position.Mark("L1", 3), new Position.Mark("zinstance", 9), id -> true);
        assertEquals(List.of(), c.positions.get(2).stamps(), "nothing carried while the log is the one they came in");

        context.logCursor("room", new Position.Mark("L2", 0)); // Redis came back empty: a new log
        hub.publish(envelope("y-1", "t"), t);
        Position p = c.positions.get(3);
        assertEquals(new Position.Mark("L2", 0), p.log());
        assertEquals(Set.of(new Position.Mark("ainstance", 2), new Position.Mark("zinstance", 9)), Set.copyOf(p.stamps()),
                "the highest stamp of each other instance handed out: copies of them may come after the cut");
        assertEquals(Optional.of(p), Position.parse(p.wire()));

        context.publishFromCluster(envelope("z-10", "z"), new Position.Mark("L2", 1), new Position.Mark("zinstance", 10), id -> true);
        assertEquals(List.of(new Position.Mark("ainstance", 2)), c.positions.get(4).stamps(),
                "z's newer envelope is in the new log: every copy of z's is before the cut now");
        context.publishFromCluster(envelope("a-3", "s"), new Position.Mark("L2", 2), new Position.Mark("ainstance", 3), id -> true);
        assertEquals(List.of(), c.positions.get(5).stamps(), "a's newer envelope too: nothing more to carry");
    }

    @Test
    void aResumeWhosePositionCarriesStampsDropsCopiesOfWhatTheClientHadInTheReadAndLive() {
        Client back = new Client("back");
        Position since = new Position(OLD, 3, new Position.Mark("L2", 0), null, List.of(new Position.Mark("ainstance", 2)));
        CompletableFuture<ResumeResult> answer = hub.resumeAsync(back, "room", since, Set.of()).toCompletableFuture();
        cluster.read.complete(new LogRead.Entries(new Position.Mark("L2", 2), List.of(
                entry(1, OLD, 4, "old-4", "someone"),         // the old instance's, after the client's mark
                entry(2, "ainstance", 1, "a-1", "s"))));     // a copy of one it had from the old log
        ResumeResult r = answer.join();
        assertEquals(1, ((ResumeResult.Recovered) r).replayed());
        assertEquals(Set.of(new Position.Mark("ainstance", 2)), carried(((ResumeResult.Recovered) r).position()),
                "still carried: a's copies are not all in");

        context.publishFromCluster(envelope("a-2", "s"), new Position.Mark("L2", 3), new Position.Mark("ainstance", 2), id -> true);
        context.publishFromCluster(envelope("a-3", "s"), new Position.Mark("L2", 4), new Position.Mark("ainstance", 3), id -> true);
        assertEquals(List.of("old-4", "a-3"), back.got, "the copy that came live is dropped by its stamp, the new one delivered");
        assertEquals(Set.of(), carried(back.positions.get(1)), "a's new envelope passed the mark");
    }

    @Test
    void aCopyTheClusterDroppedByIdReachesOnlyAResumedClientThatLacksIt() {
        Client here = new Client("here");
        hub.subscribe(here, "room");
        context.publishFromCluster(envelope("a-1", "s"), new Position.Mark("L1", 1), new Position.Mark("ainstance", 1), id -> true);
        context.publishFromCluster(envelope("a-2", "s"), new Position.Mark("L1", 2), new Position.Mark("ainstance", 2), id -> true);
        context.logCursor("room", new Position.Mark("L2", 0)); // the log began again

        Client back = new Client("back"); // had a-1 on its old instance, not a-2 (that one had missed it)
        Position since = new Position(OLD, 3, new Position.Mark("L2", 0), null, List.of(new Position.Mark("ainstance", 1)));
        CompletableFuture<ResumeResult> answer = hub.resumeAsync(back, "room", since, Set.of()).toCompletableFuture();
        context.offerCopy(envelope("a-1", "s"), new Position.Mark("L2", 1), new Position.Mark("ainstance", 1)); // while read
        cluster.read.complete(new LogRead.Entries(new Position.Mark("L2", 0), List.of()));
        assertInstanceOf(ResumeResult.Recovered.class, answer.join());
        context.offerCopy(envelope("a-2", "s"), new Position.Mark("L2", 2), new Position.Mark("ainstance", 2));
        context.publishFromCluster(envelope("z-1", "z"), new Position.Mark("L2", 3), new Position.Mark("zinstance", 1), id -> true);
        context.offerCopy(envelope("z-1", "z"), new Position.Mark("L2", 4), new Position.Mark("zinstance", 1));
        context.publishFromCluster(envelope("a-3", "s"), new Position.Mark("L2", 5), new Position.Mark("ainstance", 3), id -> true);

        assertEquals(List.of("a-2", "z-1", "a-3"), back.got,
                "a-1 it had; a-2 it lacked (this instance had it before the client came, so the cluster dropped the copy); "
                        + "z-1's copy came after it had z-1 through the gate");
        assertEquals(List.of("a-1", "a-2", "z-1", "a-3"), here.got, "the others never get a copy");
        assertEquals(Optional.of(new Position.Mark("ainstance", 2)), carried(back.positions.get(0)).stream()
                .filter(m -> m.epoch().equals("ainstance")).findFirst(), "the copy's stamp travels: the cursor did not move for it");
    }

    @Test
    void aCopyOfWhatTheReadOfTheOldLogCoveredIsNotDeliveredAgainAfterTheLogBeganAgain() {
        Client here = new Client("here");
        hub.subscribe(here, "room");
        context.publishFromCluster(envelope("a-1", "s"), new Position.Mark("L1", 11), new Position.Mark("ainstance", 1), id -> true);
        context.publishFromCluster(envelope("a-2", "s"), new Position.Mark("L1", 12), new Position.Mark("ainstance", 2), id -> true);

        Client back = new Client("back"); // resumes under L1 from cut 10: a-1 and a-2 come from the read
        CompletableFuture<ResumeResult> answer = hub.resumeAsync(back, "room", new Position(OLD, 3, LOG_10, null), Set.of())
                .toCompletableFuture();
        cluster.read.complete(new LogRead.Entries(new Position.Mark("L1", 12), List.of(
                entry(11, "ainstance", 1, "a-1", "s"), entry(12, "ainstance", 2, "a-2", "s"))));
        assertInstanceOf(ResumeResult.Recovered.class, answer.join());
        context.publishFromCluster(envelope("a-3", "s"), new Position.Mark("L1", 13), new Position.Mark("ainstance", 3), id -> true);

        context.logCursor("room", new Position.Mark("L2", 0)); // Redis came back empty; a appends its tail again
        context.offerCopy(envelope("a-1", "s"), new Position.Mark("L2", 1), new Position.Mark("ainstance", 1));
        context.offerCopy(envelope("a-2", "s"), new Position.Mark("L2", 2), new Position.Mark("ainstance", 2));
        context.offerCopy(envelope("a-3", "s"), new Position.Mark("L2", 3), new Position.Mark("ainstance", 3));
        assertEquals(List.of("a-1", "a-2", "a-3"), back.got, "each once: the copies in the new log are the read's and the gate's");
    }

    @Test
    void aGateHandsOutTheOldInstancesMarkAndTheOneBeforeIt() {
        Client back = new Client("back");
        Position since = new Position(OLD, 3, LOG_10, new Position.Mark("firstinsta", 9));
        CompletableFuture<ResumeResult> answer = hub.resumeAsync(back, "room", since, Set.of()).toCompletableFuture();
        cluster.read.complete(new LogRead.Entries(LOG_10, List.of()));
        Position p = ((ResumeResult.Recovered) answer.join()).position();
        assertEquals(new Position.Mark(OLD, 3), p.prior());
        assertEquals(List.of(new Position.Mark("firstinsta", 9)), p.stamps(),
                "the first instance's mark travels on (up to session 12 a position dropped it)");
    }

    /** The other instances' marks a position carries, as {@code prior} or stamps (the gate reads both alike). */
    private static Set<Position.Mark> carried(Position p) {
        Set<Position.Mark> out = new java.util.HashSet<>(p.stamps());
        if (p.prior() != null) {
            out.add(p.prior());
        }
        return out;
    }

    @Test
    void positionsKeepTheirOneInstanceFormAndTheClusterFormRoundTrips() {
        assertEquals("abc-5", new Position("abc", 5).wire());
        assertEquals(Optional.of(new Position("abc", 5)), Position.parse("abc-5"));
        Position p = new Position("abc", 5, new Position.Mark("0f0f", 42), new Position.Mark("xyz", 7));
        assertEquals("abc-5.0f0f-42.xyz-7", p.wire());
        assertEquals(Optional.of(p), Position.parse(p.wire()));
        assertEquals(Optional.empty(), Position.parse("a-1.b-2.c-3.d-4"));
        assertEquals(Optional.empty(), Position.parse("a-1..c-3"));
        Position stamped = new Position("abc", 5, new Position.Mark("0f0f", 42), null, List.of(new Position.Mark("s1", 3),
                new Position.Mark("s2", 9)));
        assertEquals("abc-5.0f0f-42~s1-3~s2-9", stamped.wire());
        assertEquals(Optional.of(stamped), Position.parse(stamped.wire()));
        assertEquals(Optional.empty(), Position.parse("abc-5~s1-3"), "stamps need a log cut");
        assertEquals(Optional.empty(), Position.parse("abc-5.0f0f-42" + "~s-1".repeat(Position.MAX_STAMPS + 1)));
    }
}
