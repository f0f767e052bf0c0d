package org.sigbridge.bench.load;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;

/**
 * Accounting for one run. Only messages sent inside the measurement window ({@link #openWindow} ..
 * {@link #closeWindow}) count towards sent, expected, delivered and latency; warm-up traffic flows but is
 * not counted. The sender decides whether a message is in the window ({@link #onSent}) and the probe
 * carries that decision to the receivers, so both sides always agree.
 *
 * <p>Duplicates are counted over the whole run (a duplicate is a bug at any time). Lost is
 * {@code expected - delivered} once the run has drained. Thread-safe: senders call {@link #onSent} from
 * any thread; each {@link Receiver} is used by one socket's delivery callbacks, which Jetty serialises.
 */
public final class DeliveryLedger {
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(120);

    private final LongAdder sent = new LongAdder();
    private final LongAdder expected = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder foreign = new LongAdder();
    private final AtomicHistogram latencyNanos = new AtomicHistogram(1_000, HIGHEST_NANOS, 3);
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    /** (send nanos, latency nanos) of each measured delivery, in arrival order, while {@link #keepTimeline} allows. */
    private volatile long[] timeline;
    private final AtomicInteger timelineCount = new AtomicInteger();

    /**
     * Keeps the send time and latency of the first {@code most} measured deliveries for {@link #writeTimeline}
     * (where in the window the slow ones fall); call before the window opens. Bounded: later ones are not kept.
     */
    public void keepTimeline(int most) {
        timeline = new long[2 * most];
    }

    /**
     * Writes the kept deliveries, one line each: milliseconds from the window's start to the send, then the latency
     * in microseconds, tab-separated, in arrival order, after a comment line giving the window's start as wall-clock
     * milliseconds since the epoch ({@code epochMsAtWindowStart}, to line them up with the servers' logs).
     */
    public void writeTimeline(Path file, long epochMsAtWindowStart) throws IOException {
        long[] kept = timeline;
        if (kept == null) {
            return;
        }
        int n = Math.min(timelineCount.get(), kept.length / 2);
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("# window start epoch ms " + epochMsAtWindowStart + "; send ms from window start, latency us\n");
            for (int i = 0; i < n; i++) {
                w.write(String.format(java.util.Locale.ROOT, "%.3f\t%d%n", (kept[2 * i] - windowStart) / 1e6, kept[2 * i + 1] / 1_000));
            }
        }
    }

    /** Starts counting messages sent at or after {@code startNanos}. */
    public void openWindow(long startNanos) {
        windowStart = startNanos;
    }

    /** Stops counting messages sent at or after {@code endNanos}; their deliveries are not counted either. */
    public void closeWindow(long endNanos) {
        windowEnd = endNanos;
    }

    public boolean inWindow(long sendNanos) {
        return sendNanos >= windowStart && sendNanos < windowEnd;
    }

    /**
     * A message sent at {@code sendNanos} that {@code fanout} other members should receive.
     *
     * @return whether it counts (its probe must say so)
     */
    public boolean onSent(long sendNanos, int fanout) {
        if (inWindow(sendNanos)) {
            sent.increment();
            expected.add(fanout);
            return true;
        }
        return false;
    }

    /** Book-keeping for one receiving socket; not thread-safe, one per socket. */
    public Receiver receiver() {
        return new Receiver();
    }

    /** Counts so far; call after the run has drained for final figures. */
    public Totals totals() {
        long exp = expected.sum();
        long got = delivered.sum();
        Histogram copy = new Histogram(1_000, HIGHEST_NANOS, 3);
        copy.add(latencyNanos);
        return new Totals(sent.sum(), exp, got, Math.max(0, exp - got), duplicates.sum(), foreign.sum(),
                LatencySummary.ofNanos(copy));
    }

    /** Delivered-but-not-yet-counted progress, for the drain loop. */
    public long deliveredSoFar() {
        return delivered.sum();
    }

    public long expectedSoFar() {
        return expected.sum();
    }

    /**
     * What one socket has received: a bit per (sender, seq), so a second copy is a duplicate even when
     * deliveries arrive out of order.
     */
    public final class Receiver {
        private final Map<Integer, BitSet> seen = new HashMap<>();

        private Receiver() {
        }

        /**
         * Records one delivered probe at {@code nowNanos}.
         *
         * @return false if it was a duplicate
         */
        public boolean onDelivery(Probe probe, long nowNanos) {
            if (probe.seq() > Integer.MAX_VALUE) {
                foreign.increment();
                return true;
            }
            BitSet bits = seen.computeIfAbsent(probe.client(), c -> new BitSet());
            int seq = (int) probe.seq();
            if (bits.get(seq)) {
                duplicates.increment();
                return false;
            }
            bits.set(seq);
            if (probe.measured()) {
                delivered.increment();
                latencyNanos.recordValue(Math.min(HIGHEST_NANOS, Math.max(1_000, nowNanos - probe.sendNanos())));
                long[] kept = timeline;
                if (kept != null) {
                    int i = timelineCount.getAndIncrement();
                    if (2 * i + 1 < kept.length) {
                        kept[2 * i] = probe.sendNanos();
                        kept[2 * i + 1] = nowNanos - probe.sendNanos();
                    }
                }
            }
            return true;
        }

        /** A frame that carried no probe (presence, error frames): counted, not judged. */
        public void onOther() {
            foreign.increment();
        }
    }

    /**
     * @param other frames that carried no probe (presence answers, error frames); a non-zero value means
     *              the server answered something unexpected and its log should be read
     */
    public record Totals(long sent, long expected, long delivered, long lost, long duplicates, long other,
                         LatencySummary latency) {
    }
}
