package org.sigbridge.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ComparisonTest {
    private static final Comparison.Metric RATE = new Comparison.Metric("deliv/s", 0, true);

    @Test
    void ratioIsMedianOfSubjectOverMedianOfBaseline() {
        Comparison c = new Comparison("t", "point", List.of("sigbridge", "node-ws"), List.of(RATE));
        for (double v : new double[] {100, 300, 200}) {
            c.add("p", "sigbridge", RATE.name(), v);
        }
        for (double v : new double[] {50, 100, 400}) {
            c.add("p", "node-ws", RATE.name(), v);
        }
        assertEquals(2.0, c.ratio("p", RATE.name()));
        String table = c.table().markdown();
        assertTrue(table.contains("| p | 200 (100–300) | 100 (50–400) | 2.00 |"), table);
    }

    @Test
    void ratioIsNotANumberWhenTheBaselineIsMissing() {
        Comparison c = new Comparison("t", "point", List.of("sigbridge", "node-ws"), List.of(RATE));
        c.add("p", "sigbridge", RATE.name(), 1);
        assertTrue(Double.isNaN(c.ratio("p", RATE.name())));
    }
}
