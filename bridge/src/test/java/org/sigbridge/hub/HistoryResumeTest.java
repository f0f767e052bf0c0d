package org.sigbridge.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.HistorySettings;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.metrics.BridgeMetrics;
import org.sigbridge.routing.RoutingTable;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.Position;
import org.sigbridge.spi.ResumeResult;

/**
 * Channel histories and resume (docs/design.md §3.8): positions on every delivery, replay of what was missed once and
 * in order, no echo, addressed envelopes only to their addressee, and "not recovered" when the history no longer holds
 * the position (length, age, another epoch). The hub delivers on the publishing thread, so what an endpoint recorded
 * is complete when {@code publish} or {@code resume} returns.
 */
class HistoryResumeTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_000_000);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    /** Records each envelope with the position it came with. */
    private static final class Client implements Endpoint {
        final String id;
        final org.sigbridge.spi.Participant participant;
        final List<String> ids = Collections.synchronizedList(new ArrayList<>());
        final List<Position> positions = Collections.synchronizedList(new ArrayList<>());
        /** What {@link #resumes()} answers; a test turns it on to stand for a client that opted in to positions. */
        volatile boolean resumes = true;

        Client(String id) {
            this(id, id);
        }

        Client(String id, String participantId) {
            this.id = id;
            this.participant = new org.sigbridge.spi.Participant("web", participantId, participantId);
        }

        @Override
        public org.sigbridge.spi.Participant participant() {
            return participant;
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
            ids.add(envelope.id());
            positions.add(position);
            return DeliveryResult.DELIVERED;
        }

        Position last() {
            return positions.get(positions.size() - 1);
        }

        @Override
        public boolean resumes() {
            return resumes;
        }

        static Client plain(String id) {
            Client c = new Client(id);
            c.resumes = false;
            return c;
        }
    }

    private final TestClock clock = new TestClock();
    private int serial;

    private Hub hub(int length, Duration maxAge) {
        return new Hub("t", RoutingTable.allLocal(), Map.of(), clock, new BridgeMetrics(), new HistorySettings(length, maxAge));
    }

    private Envelope envelope(String channel, Endpoint from, String to) {
        return new Envelope("e-" + ++serial, channel, JsonValue.string(from.id()), JsonValue.string("m" + serial),
                new Origin("web", from.id()), clock.instant(), to);
    }

    @Test
    void aClientThatComesBackGetsWhatItMissedOnceInOrderThenTheRest() {
        Hub hub = hub(100, Duration.ofMinutes(2));
        Client a = new Client("a");
        Client b = new Client("b");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");
        hub.publish(envelope("room", a, null), a);
        assertEquals(List.of("e-1"), b.ids);
        assertEquals(1, b.last().offset());
        Position seen = b.last();
        hub.detach(b);
        hub.publish(envelope("room", a, null), a);
        hub.publish(envelope("room", a, null), a);

        Client back = new Client("b2");
        ResumeResult r = hub.resume(back, "room", seen, Set.of("b"));
        assertEquals(new ResumeResult.Recovered(2, new Position(seen.epoch(), 3)), r);
        hub.publish(envelope("room", a, null), a);
        assertEquals(List.of("e-2", "e-3", "e-4"), back.ids);
        assertEquals(List.of(2L, 3L, 4L), back.positions.stream().map(Position::offset).toList());
        assertEquals(1, hub.stats.resumesRecovered());
        assertEquals(2, hub.stats.replayed());
    }

    @Test
    void theClientsOwnEnvelopesAndOthersAddressedOnesAreNotReplayed() {
        Hub hub = hub(100, Duration.ofMinutes(2));
        Client a = new Client("a");
        Client c = new Client("c");
        Client b = new Client("b");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");
        hub.subscribe(c, "room");
        Position start = hub.position("room").orElseThrow();
        hub.publish(envelope("room", b, null), b);          // b's own: b2 must not get it back
        hub.detach(b);
        hub.publish(envelope("room", a, "c"), a);           // for c only
        hub.publish(envelope("room", a, null), a);          // for everyone

        Client back = new Client("b2");
        ResumeResult r = hub.resume(back, "room", start, Set.of("b"));
        assertInstanceOf(ResumeResult.Recovered.class, r);
        assertEquals(List.of("e-3"), back.ids);
        assertEquals(List.of("e-1", "e-2", "e-3"), c.ids);
    }

    @Test
    void anAddressedEnvelopeForTheResumingParticipantIsReplayedToItAlone() {
        Hub hub = hub(100, Duration.ofMinutes(2));
        Client a = new Client("a");
        Client b = new Client("b-1", "bob");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");
        Position seen = hub.position("room").orElseThrow(); // b lost e-1 on its way (its connection broke)
        hub.publish(envelope("room", a, "bob"), a);
        assertEquals(List.of("e-1"), b.ids);
        Client other = new Client("x");
        hub.subscribe(other, "room"); // keeps the recipient of the next one matchable only by the old id
        hub.detach(b);
        // b is gone: an envelope for it now is refused, and not kept for it
        assertInstanceOf(org.sigbridge.spi.PublishResult.Refused.class, hub.publish(envelope("room", a, "bob"), a));
        hub.publish(envelope("room", a, "x"), a);
        Client back = new Client("b-2", "bob");
        assertInstanceOf(ResumeResult.Recovered.class, hub.resume(back, "room", seen, Set.of("b-1")));
        assertEquals(List.of("e-1"), back.ids, "its own addressed envelope again, not e-3 for x");
        Client stranger = new Client("y");
        assertInstanceOf(ResumeResult.Recovered.class, hub.resume(stranger, "room", seen, Set.of("b-1", "x")));
        assertEquals(List.of(), stranger.ids, "former ids a client names never reveal envelopes addressed to them");
    }

    @Test
    void aPositionTheHistoryNoLongerHoldsIsNotRecovered() {
        Hub hub = hub(3, Duration.ofMinutes(2));
        Client a = new Client("a");
        Client b = new Client("b");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");
        hub.publish(envelope("room", a, null), a);
        Position seen = b.last();
        hub.detach(b);
        for (int i = 0; i < 4; i++) {
            hub.publish(envelope("room", a, null), a); // offsets 2..5; the history keeps 3..5
        }
        Client back = new Client("b2");
        ResumeResult r = hub.resume(back, "room", seen, Set.of("b"));
        ResumeResult.NotRecovered nr = assertInstanceOf(ResumeResult.NotRecovered.class, r);
        assertTrue(nr.reason().contains("no longer holds offset 2"), nr.reason());
        assertEquals(List.of(), back.ids);
        hub.publish(envelope("room", a, null), a);
        assertEquals(List.of("e-6"), back.ids, "a client not recovered is subscribed like a fresh one");
        // one step later the history still holds what follows offset 3: recovered
        Client again = new Client("b3");
        assertEquals(new ResumeResult.Recovered(3, new Position(seen.epoch(), 6)),
                hub.resume(again, "room", new Position(seen.epoch(), 3), Set.of()));
    }

    @Test
    void envelopesOlderThanMaxAgeAreGoneAndAnotherEpochIsNotRecovered() {
        Hub hub = hub(100, Duration.ofSeconds(10));
        Client a = new Client("a");
        Client b = new Client("b");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");
        hub.publish(envelope("room", a, null), a);
        Position seen = b.last();
        hub.detach(b);
        hub.publish(envelope("room", a, null), a);
        clock.millis.addAndGet(11_000);
        assertInstanceOf(ResumeResult.NotRecovered.class, hub.resume(new Client("b2"), "room", seen, Set.of("b")));
        assertInstanceOf(ResumeResult.NotRecovered.class,
                hub.resume(new Client("b3"), "room", new Position("otherepoch", 1), Set.of("b")));
    }

    @Test
    void aChannelThatEmptiedKeepsItsHistoryForMaxAge() {
        Hub hub = hub(100, Duration.ofSeconds(10));
        Client a = new Client("a");
        Client b = new Client("b");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");
        hub.publish(envelope("room", a, null), a);
        Position seen = b.last();
        hub.detach(b);
        hub.publish(envelope("room", a, null), a);
        hub.detach(a); // the channel closes
        Client back = new Client("b2");
        assertEquals(new ResumeResult.Recovered(1, new Position(seen.epoch(), 2)), hub.resume(back, "room", seen, Set.of("b")));
        assertEquals(List.of("e-2"), back.ids);
    }

    @Test
    void withoutHistoryNothingIsRecoveredAndNoPositionIsHandedOut() {
        Hub hub = hub(0, Duration.ofMinutes(2));
        org.sigbridge.testing.RecordingEndpoint a = new org.sigbridge.testing.RecordingEndpoint("a");
        org.sigbridge.testing.RecordingEndpoint b = new org.sigbridge.testing.RecordingEndpoint("b");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");
        hub.publish(envelope("room", a, null), a);
        assertEquals(1, b.envelopes().drain().size());
        assertTrue(hub.position("room").isEmpty());
        assertInstanceOf(ResumeResult.NotRecovered.class,
                hub.resume(new Client("b2"), "room", new Position("x", 1), Set.of("b")));
    }

    @Test
    void concurrentPublishersAndAResumeLeaveEverySubscriberInOffsetOrderWithoutGapOrDuplicate() throws Exception {
        Hub hub = hub(100_000, Duration.ofMinutes(2));
        Client watcher = new Client("w");
        Client b = new Client("b");
        hub.subscribe(watcher, "room");
        hub.subscribe(b, "room");
        Client[] senders = {new Client("s1"), new Client("s2"), new Client("s3")};
        for (Client s : senders) {
            hub.subscribe(s, "room");
        }
        CountDownLatch go = new CountDownLatch(1);
        // Each sender holds half way until b has left: else on a loaded machine all 6000 could be out before b leaves,
        // and the resume below would have nothing to replay. After it, the resume races the other half.
        CountDownLatch bLeft = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (Client s : senders) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 2000; i++) {
                    if (i == 1000) {
                        try {
                            bLeft.await(15, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    hub.publish(new Envelope(s.id + "-" + i, "room", JsonValue.string(s.id), JsonValue.string("x"),
                            new Origin("web", s.id), clock.instant()), s);
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        while (b.positions.size() < 500) {
            Thread.onSpinWait();
        }
        hub.detach(b);
        Position seen = b.last();
        bLeft.countDown();
        Client back = new Client("b2");
        assertInstanceOf(ResumeResult.Recovered.class, hub.resume(back, "room", seen, Set.of("b")));
        for (Thread t : threads) {
            t.join();
        }
        assertConsecutive(watcher.positions, 1);
        List<Long> offsets = back.positions.stream().map(Position::offset).toList();
        assertEquals(seen.offset() + 1, offsets.get(0));
        assertConsecutive(back.positions, seen.offset() + 1);
        assertEquals(6000, seen.offset() + back.ids.size());
    }

    @Test
    void aChannelWhereNoSubscriberCanResumeKeepsNothingAndAResumeThereIsNotRecovered() {
        Hub hub = hub(100, Duration.ofMinutes(2));
        Client a = Client.plain("a");
        Client b = Client.plain("b");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");
        hub.publish(envelope("room", a, null), a);
        Position seen = b.last(); // handed out all the same: positions number the channel whatever is kept
        hub.detach(b);
        hub.publish(envelope("room", a, null), a);
        assertEquals(2, hub.position("room").orElseThrow().offset());
        ResumeResult.NotRecovered nr = assertInstanceOf(ResumeResult.NotRecovered.class,
                hub.resume(new Client("b2"), "room", seen, Set.of("b")));
        assertTrue(nr.reason().contains("no longer holds offset 2"), nr.reason());
    }

    @Test
    void aClientThatOptsInLaterIsRecoveredFromWhatCameAfterItOptedIn() {
        Hub hub = hub(100, Duration.ofMinutes(2));
        Client a = Client.plain("a");
        Client b = Client.plain("b");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");
        hub.publish(envelope("room", a, null), a); // kept by no one
        b.resumes = true;
        hub.publish(envelope("room", a, null), a);
        Position seen = b.last();
        hub.detach(b); // only a plain member is left: what comes is still kept for max-age after b's last envelope
        hub.publish(envelope("room", a, null), a);
        hub.publish(envelope("room", a, null), a);
        Client back = new Client("b2");
        assertEquals(new ResumeResult.Recovered(2, new Position(seen.epoch(), 4)), hub.resume(back, "room", seen, Set.of("b")));
        assertEquals(List.of("e-3", "e-4"), back.ids);
    }

    @Test
    void whenKeepingLapsesWhatWasKeptGoesTooSoAResumeIsNeverPartlyReplayed() {
        Hub hub = hub(100, Duration.ofSeconds(10));
        Client a = Client.plain("a");
        Client b = new Client("b");
        hub.subscribe(a, "room");
        hub.subscribe(b, "room");
        hub.publish(envelope("room", a, null), a);
        Position seen = b.last();
        hub.detach(b);
        hub.publish(envelope("room", a, null), a);   // kept: b left less than max-age ago
        clock.millis.addAndGet(9_000);
        hub.publish(envelope("room", a, null), a);   // still kept
        clock.millis.addAndGet(2_000);
        hub.publish(envelope("room", a, null), a);   // max-age after b's last: not kept, nor the two before it
        ResumeResult.NotRecovered nr = assertInstanceOf(ResumeResult.NotRecovered.class,
                hub.resume(new Client("b2"), "room", seen, Set.of("b")));
        assertTrue(nr.reason().contains("no longer holds offset 2"), nr.reason());
    }

    @Test
    void aPositionAskedForKeepsWhatComesAfterIt() {
        Hub hub = hub(100, Duration.ofMinutes(2));
        Client a = Client.plain("a");
        hub.subscribe(a, "room");
        hub.publish(envelope("room", a, null), a);
        Position joined = hub.position("room").orElseThrow(); // a client's "joined" position, before its first envelope
        hub.publish(envelope("room", a, null), a);
        Client back = new Client("b2");
        assertEquals(new ResumeResult.Recovered(1, new Position(joined.epoch(), 2)), hub.resume(back, "room", joined, Set.of()));
        assertEquals(List.of("e-2"), back.ids);
    }

    private static void assertConsecutive(List<Position> positions, long first) {
        long expected = first;
        for (Position p : positions) {
            assertEquals(expected++, p.offset());
        }
    }
}
