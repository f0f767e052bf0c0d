package org.sigbridge.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NamedThreadsTest {

    @Test
    void numbersThreadsFromOne() {
        NamedThreads threads = NamedThreads.numbered("xmpp-x-request");
        assertEquals("xmpp-x-request-1", threads.newThread(() -> { }).getName());
        assertEquals("xmpp-x-request-2", threads.newThread(() -> { }).getName());
    }

    @Test
    void namesASingleWorkerExactly() {
        Thread t = NamedThreads.named("sip-s-worker").newThread(() -> { });
        assertEquals("sip-s-worker", t.getName());
        assertTrue(t.isDaemon());
    }
}
