package org.sigbridge.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.metrics.Metrics;

/** The facade over a Prometheus registry: families shared by adapters of one type, and closed samplers gone. */
class PrometheusMetricsTest {

    @Test
    void twoAdaptersOfOneTypeExportUnderOneNameEachWithItsLabel() {
        PrometheusMetrics metrics = new PrometheusMetrics();
        metrics.counters("sigbridge_x_sent_total", "sent", List.of("adapter"), out -> out.add(3, "x1"));
        metrics.counters("sigbridge_x_sent_total", "sent", List.of("adapter"), out -> out.add(5, "x2"));

        String text = metrics.scrapeText();

        assertTrue(text.contains("sigbridge_x_sent_total{adapter=\"x1\"} 3.0"), text);
        assertTrue(text.contains("sigbridge_x_sent_total{adapter=\"x2\"} 5.0"), text);
    }

    @Test
    void aClosedSamplerIsNoLongerExported() {
        PrometheusMetrics metrics = new PrometheusMetrics();
        Metrics.Registration r = metrics.gauges("sigbridge_x_rooms", "rooms", List.of("adapter"), out -> out.add(2, "x1"));
        assertTrue(metrics.scrapeText().contains("sigbridge_x_rooms{adapter=\"x1\"} 2.0"));

        r.close();

        assertFalse(metrics.scrapeText().contains("sigbridge_x_rooms{adapter=\"x1\"}"));
    }

    @Test
    void aNameRegisteredWithOtherLabelsIsRefused() {
        PrometheusMetrics metrics = new PrometheusMetrics();
        metrics.counter("sigbridge_x_total", "x", "adapter").labels("a").inc();
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("sigbridge_x_total", "x", "adapter", "route"));
        assertThrows(IllegalArgumentException.class, () -> metrics.counters("sigbridge_x_total", "x", List.of("adapter"), out -> { }));
        assertTrue(metrics.scrapeText().contains("sigbridge_x_total{adapter=\"a\"} 1.0"));
    }
}
