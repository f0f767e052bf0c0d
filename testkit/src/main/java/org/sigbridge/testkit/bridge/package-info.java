/**
 * The bridge under test: {@link org.sigbridge.testkit.bridge.BridgeUnderTest} starts a whole sigbridge in the
 * test's JVM from YAML written to a scratch file and loaded by the real config loader, records its leg state
 * reports for waits, and scrapes its metrics. Every module's integration tests start bridges through it; their
 * own helpers only add a protocol's YAML and clients. {@link org.sigbridge.testkit.bridge.BridgedPair} starts two
 * such bridges whose channels meet in one Prosody MUC room or through one Kamailio, for pages on two bridges, and waits
 * until both are in the upstream room.
 */
package org.sigbridge.testkit.bridge;
