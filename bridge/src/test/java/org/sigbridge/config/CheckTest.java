package org.sigbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckTest {

    @Test
    void rangeNamesTheKeyTheBoundsAndTheValue() {
        assertEquals(5, Check.range("io-threads", 5, 1, 256));
        assertEquals("io-threads must be between 1 and 256, not 0",
                assertThrows(IllegalArgumentException.class, () -> Check.range("io-threads", 0, 1, 256)).getMessage());
        assertEquals(64, Check.range("max", null, 64, 1, 100));
    }

    @Test
    void atLeastTakesTheDefaultAndNamesTheMinimum() {
        assertEquals(32, Check.atLeast("max-members-per-channel", null, 32, 1));
        assertEquals("max-queued-per-member must be at least 1, not 0",
                assertThrows(IllegalArgumentException.class, () -> Check.atLeast("max-queued-per-member", 0, 64, 1)).getMessage());
    }

    @Test
    void positiveRefusesZeroWithAnExampleInTheFilesOwnUnits() {
        assertEquals(Duration.ofSeconds(10), Check.positive("connect-timeout", null, Duration.ofSeconds(10)));
        assertEquals("register-expires must be above 0s, e.g. 10m",
                assertThrows(IllegalArgumentException.class,
                        () -> Check.positive("register-expires", Duration.ZERO, Duration.ofMinutes(10))).getMessage());
        assertEquals("idle-timeout must be above 0s, e.g. 30s",
                assertThrows(IllegalArgumentException.class, () -> Check.positive("idle-timeout", Duration.ofSeconds(-1), "30s")).getMessage());
        assertEquals("keepalive-interval must be 0s (off) or positive, e.g. 30s",
                assertThrows(IllegalArgumentException.class,
                        () -> Check.zeroOrPositive("keepalive-interval", Duration.ofMillis(-1), Duration.ofSeconds(30))).getMessage());
        assertEquals(Duration.ZERO, Check.zeroOrPositive("keepalive-interval", Duration.ZERO, Duration.ofSeconds(30)));
    }

    @Test
    void blankIsAbsent() {
        assertNull(Check.blankToNull(null));
        assertNull(Check.blankToNull("  "));
        assertEquals("host", Check.blankToNull(" host "));
    }

    @Test
    void durationsAreWrittenAsOperatorsWriteThem() {
        assertEquals("500ms", DurationText.format(Duration.ofMillis(500)));
        assertEquals("30s", DurationText.format(Duration.ofSeconds(30)));
        assertEquals("90s", DurationText.format(Duration.ofSeconds(90)));
        assertEquals("5m", DurationText.format(Duration.ofMinutes(5)));
        assertEquals("1h", DurationText.format(Duration.ofHours(1)));
        assertEquals("0s", DurationText.format(Duration.ZERO));
    }
}
