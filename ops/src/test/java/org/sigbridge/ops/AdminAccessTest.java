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
}
