package org.sigbridge.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.eclipse.jetty.util.MemoryUtils;
import org.junit.jupiter.api.Test;

/** The hint the launcher gives Jetty is the value Jetty computes itself through the platform MBean server. */
class JettyCacheLineHintTest {

    @Test
    void givesJettyTheValueItWouldReadFromTheMBeanServer() {
        // This JVM sets neither property, so Jetty asked the MBean server for UseCompressedOops.
        assertNull(System.getProperty(JettyCacheLineHint.PROPERTY));
        assertNull(System.getProperty("org.eclipse.jetty.util.cacheLineBytes"));
        assertEquals(MemoryUtils.getReferencesPerCacheLine(), JettyCacheLineHint.referencesPerCacheLine(null));
    }

    @Test
    void followsAGivenCacheLineSizeAndKeepsJettysDefaultForABadOne() {
        int perLine = JettyCacheLineHint.referencesPerCacheLine(null);
        assertEquals(2 * perLine, JettyCacheLineHint.referencesPerCacheLine("128"));
        assertEquals(perLine, JettyCacheLineHint.referencesPerCacheLine("sixty-four"));
    }
}
