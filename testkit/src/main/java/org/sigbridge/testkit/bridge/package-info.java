/**
 * The bridge under test: {@link org.sigbridge.testkit.bridge.BridgeUnderTest} starts a whole sigbridge in the
 * test's JVM from YAML written to a scratch file and loaded by the real config loader, records its leg state
 * reports for waits, and scrapes its metrics. Every module's integration tests start bridges through it; their
 * own helpers only add a protocol's YAML and clients.
 */
package org.sigbridge.testkit.bridge;
