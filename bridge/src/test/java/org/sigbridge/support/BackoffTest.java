package org.sigbridge.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromTheBaseUpToTheCap() {
        Backoff top = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.999999);
        assertEquals(1000, top.next().toMillis());
        assertEquals(2000, top.next().toMillis());
        assertEquals(4000, top.next().toMillis());
        assertEquals(8000, top.next().toMillis());
        assertEquals(10000, top.next().toMillis());
        assertEquals(10000, top.next().toMillis());
    }

    @Test
    void jittersDownToHalfTheWindow() {
        Backoff bottom = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.0);
        assertEquals(500, bottom.next().toMillis());
        assertEquals(1000, bottom.next().toMillis());
    }

    @Test
    void startsOverAfterReset() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), () -> 0.999999);
        b.next();
        b.next();
        b.reset();
        assertEquals(100, b.next().toMillis());
    }
}
