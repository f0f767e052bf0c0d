package org.sigbridge.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {
    private static final long MS = 1_000_000L;

    @Test
    void countsEveryMissingFanOutCopyAsLost() {
        DeliveryLedger ledger = new DeliveryLedger();
        ledger.openWindow(0);
        DeliveryLedger.Receiver a = ledger.receiver();
        DeliveryLedger.Receiver b = ledger.receiver();
        // client 0 sends two messages to a channel of three: fan-out 2 each, 4 copies expected
        assertTrue(ledger.onSent(10 * MS, 2));
        assertTrue(ledger.onSent(11 * MS, 2));
        a.onDelivery(new Probe(0, 0, 10 * MS, true), 12 * MS);
        b.onDelivery(new Probe(0, 0, 10 * MS, true), 12 * MS);
        a.onDelivery(new Probe(0, 1, 11 * MS, true), 13 * MS);

        DeliveryLedger.Totals totals = ledger.totals();
        assertEquals(2, totals.sent());
        assertEquals(4, totals.expected());
        assertEquals(3, totals.delivered());
        assertEquals(1, totals.lost());
        assertEquals(0, totals.duplicates());
    }

    @Test
    void countsASecondCopyAsDuplicateEvenOutOfOrder() {
        DeliveryLedger ledger = new DeliveryLedger();
        ledger.openWindow(0);
        DeliveryLedger.Receiver r = ledger.receiver();
        ledger.onSent(MS, 1);
        ledger.onSent(2 * MS, 1);
        assertTrue(r.onDelivery(new Probe(7, 1, 2 * MS, true), 3 * MS));
        assertTrue(r.onDelivery(new Probe(7, 0, MS, true), 3 * MS));
        assertFalse(r.onDelivery(new Probe(7, 1, 2 * MS, true), 4 * MS));

        DeliveryLedger.Totals totals = ledger.totals();
        assertEquals(2, totals.delivered());
        assertEquals(1, totals.duplicates());
        assertEquals(0, totals.lost());
    }

    @Test
    void sameSeqFromAnotherSenderIsNotADuplicate() {
        DeliveryLedger ledger = new DeliveryLedger();
        ledger.openWindow(0);
        DeliveryLedger.Receiver r = ledger.receiver();
        assertTrue(r.onDelivery(new Probe(1, 0, MS, true), 2 * MS));
        assertTrue(r.onDelivery(new Probe(2, 0, MS, true), 2 * MS));
        assertEquals(0, ledger.totals().duplicates());
    }

    @Test
    void ignoresTrafficOutsideTheWindowButStillSpotsItsDuplicates() {
        DeliveryLedger ledger = new DeliveryLedger();
        DeliveryLedger.Receiver r = ledger.receiver();
        assertFalse(ledger.onSent(MS, 1), "before openWindow: warm-up");
        r.onDelivery(new Probe(0, 0, MS, false), 2 * MS);
        r.onDelivery(new Probe(0, 0, MS, false), 2 * MS);
        ledger.openWindow(5 * MS);
        ledger.closeWindow(10 * MS);
        assertTrue(ledger.onSent(6 * MS, 1));
        assertFalse(ledger.onSent(10 * MS, 1), "at the end boundary: excluded");

        DeliveryLedger.Totals totals = ledger.totals();
        assertEquals(1, totals.sent());
        assertEquals(1, totals.expected());
        assertEquals(0, totals.delivered());
        assertEquals(1, totals.lost());
        assertEquals(1, totals.duplicates());
    }

    @Test
    void reportsLatencyPercentilesOfMeasuredDeliveries() {
        DeliveryLedger ledger = new DeliveryLedger();
        ledger.openWindow(0);
        DeliveryLedger.Receiver r = ledger.receiver();
        for (int i = 0; i < 100; i++) {
            ledger.onSent(0, 1);
            // latencies 1 ms .. 100 ms
            r.onDelivery(new Probe(3, i, 0, true), (i + 1) * MS);
        }
        r.onDelivery(new Probe(3, 500, 0, false), 9_000 * MS); // unmeasured: not in the histogram

        LatencySummary latency = ledger.totals().latency();
        assertEquals(100, latency.count());
        assertEquals(50.0, latency.p50Ms(), 0.1);
        assertEquals(90.0, latency.p90Ms(), 0.1);
        assertEquals(99.0, latency.p99Ms(), 0.1);
        assertEquals(100.0, latency.maxMs(), 0.1);
    }

    @Test
    void emptyRunReportsZeroLatencyNotAnError() {
        assertEquals(LatencySummary.EMPTY, new DeliveryLedger().totals().latency());
    }

    @Test
    void countsFramesWithoutAProbeSeparately() {
        DeliveryLedger ledger = new DeliveryLedger();
        ledger.receiver().onOther();
        assertEquals(1, ledger.totals().other());
        assertEquals(0, ledger.totals().delivered());
    }

    @Test
    void theTimelineHasEachMeasuredDeliverysSendTimeAndLatencyAndNoMoreThanItKeeps(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        DeliveryLedger ledger = new DeliveryLedger();
        ledger.keepTimeline(2);
        ledger.openWindow(100 * MS);
        DeliveryLedger.Receiver r = ledger.receiver();
        r.onDelivery(new Probe(1, 0, 50 * MS, false), 60 * MS); // warm-up: not measured, not kept
        r.onDelivery(new Probe(1, 1, 101 * MS, true), 103 * MS);
        r.onDelivery(new Probe(1, 2, 102 * MS, true), 112 * MS);
        r.onDelivery(new Probe(1, 3, 103 * MS, true), 104 * MS); // beyond what it keeps
        java.nio.file.Path file = dir.resolve("t.tsv");
        ledger.writeTimeline(file, 1_700_000_000_000L);
        java.util.List<String> lines = java.nio.file.Files.readAllLines(file);
        assertEquals(java.util.List.of("# window start epoch ms 1700000000000; send ms from window start, latency us",
                "1.000\t2000", "2.000\t10000"), lines);
    }
}
