/**
 * Test support shared by every module's tests: real peers ({@code peers}, {@code junit}), protocol clients
 * ({@code web}, {@code xmpp}, {@code sip}) and {@link org.sigbridge.testkit.Poll}. The recording adapters are in
 * the bridge module's test-jar ({@code org.sigbridge.testing}), beside the hub tests that use them first.
 */
package org.sigbridge.testkit;
