package org.sigbridge.web.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Client mode's guard is one object for every socket (docs/benchmarks.md, "Idle memory per WebSocket connection,
 * session 14"), which is only right while it holds no state: no verifier, no identity, and no way to take one.
 */
class TrustingGuardTest {

    @Test
    void everySocketSharesOneStatelessGuard() {
        SenderGuard guard = SenderGuard.trusting();
        assertSame(guard, SenderGuard.trusting());
        assertFalse(guard.isVerified());
        assertFalse(guard.awaitingToken());
        assertTrue(guard.identity().isEmpty());
        assertEquals(SenderGuard.Check.OK, guard.current());
        assertThrows(IllegalStateException.class, () -> guard.authenticate("any token"),
                "a token would give the shared guard, and so every socket, an identity");
        assertTrue(guard.identity().isEmpty());
    }
}
