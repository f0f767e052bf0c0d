package org.sigbridge.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * An idle-memory point that the open-file limit cannot hold stops the run before it starts, saying how to raise
 * the limit, instead of measuring refused connections (docs/benchmarks.md, "Idle memory per WebSocket connection,
 * session 14"). Linux's {@code /proc} is where the bench runs.
 */
class OpenFilesTest {

    @Test
    void aPointAboveTheOpenFileLimitIsRefusedWithHowToRaiseIt() {
        assertTrue(OpenFiles.softLimit().isPresent(), "/proc/self/limits names a finite open-file limit on Linux");
        long limit = OpenFiles.softLimit().getAsLong();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpenFiles.requireFor((int) Math.min(Integer.MAX_VALUE, limit), "--connections"));
        assertTrue(e.getMessage().contains("--connections") && e.getMessage().contains("ulimit -Hn"), e.getMessage());
        assertDoesNotThrow(() -> OpenFiles.requireFor(10, "--connections"));
    }
}
