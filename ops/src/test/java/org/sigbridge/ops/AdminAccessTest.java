package org.sigbridge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Moved from web-adapter's ops tests with {@link AdminAccess}. */
class AdminAccessTest {

    @Test
    void withoutATokenOnlyLoopbackClientsAreAllowed() {
        AdminAccess access = new AdminAccess(java.util.Optional.empty());
        assertTrue(access.check("127.0.0.1", null).isEmpty());
        assertTrue(access.check("::1", null).isEmpty());
        assertEquals(403, access.check("192.0.2.7", null).orElseThrow().status());
    }

    @Test
    void withoutATokenALoopbackRequestRelayedByAProxyIsRefused() {
        AdminAccess access = new AdminAccess(java.util.Optional.empty());
        assertEquals(403, access.check("127.0.0.1", null, true).orElseThrow().status());
        assertTrue(access.check("127.0.0.1", null, false).isEmpty());
    }

    @Test
    void withATokenEveryAddressNeedsIt() {
        AdminAccess access = new AdminAccess(java.util.Optional.of(org.sigbridge.config.Secret.of("t".repeat(32))));
        assertEquals(401, access.check("127.0.0.1", null).orElseThrow().status());
        assertEquals(401, access.check("192.0.2.7", "Bearer wrong").orElseThrow().status());
        assertTrue(access.check("192.0.2.7", "Bearer " + "t".repeat(32), true).isEmpty());
    }
}
