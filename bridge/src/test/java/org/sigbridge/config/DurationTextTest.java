package org.sigbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void readsDurationsWithVisibleUnits() {
        assertEquals(Duration.ofMillis(250), DurationText.parse("250ms"));
        assertEquals(Duration.ofSeconds(30), DurationText.parse("30s"));
        assertEquals(Duration.ofMinutes(5), DurationText.parse("5m"));
        assertEquals(Duration.ofHours(1), DurationText.parse("1h"));
        assertEquals(Duration.ofSeconds(90), DurationText.parse("PT1M30S"));
    }

    @Test
    void refusesABareNumberAndSaysWhatToWrite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DurationText.parse("30"));
        assertEquals("'30' is not a duration; write e.g. 500ms, 30s, 5m or 1h", e.getMessage());
    }
}
