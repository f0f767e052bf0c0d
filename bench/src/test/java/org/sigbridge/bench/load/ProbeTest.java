package org.sigbridge.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class ProbeTest {

    @Test
    void readsBackItsOwnBody() {
        Probe probe = new Probe(42, 7, 123_456_789_012L, true);
        assertEquals(probe, Probe.parse(probe.body("xxxx")));
    }

    @Test
    void findsTheProbeInsideAWholeEnvelope() {
        Probe probe = new Probe(3, 9, 55, false);
        String envelope = "{\"id\":\"e-1\",\"sender\":\"3\",\"channel\":\"bench-a-0\",\"message\":" + probe.body("xx") + "}";
        assertEquals(probe, Probe.parse(envelope));
    }

    @Test
    void framesWithoutProbeFieldsAreNotProbes() {
        assertFalse(Probe.parse("{\"isChannelPresent\":true}").isProbe());
        assertFalse(Probe.parse("{\"error\":{\"code\":\"rate_limited\",\"detail\":\"slow down\"}}").isProbe());
        assertFalse(Probe.parse("{\"c\":1,\"s\":\"x\",\"t\":3}").isProbe());
    }

    @Test
    void framesAreAboutTheRequestedSize() {
        for (WireDialect dialect : WireDialect.values()) {
            for (int size : new int[] {600, 4096}) {
                String frame = dialect.publishFrame("bench-000-0000", 0,
                        new Probe(0, 100_000, System.nanoTime(), true).body(Payloads.filler(dialect, size)));
                assertEquals(size, frame.length(), 8.0, dialect + " " + size);
            }
        }
    }
}
