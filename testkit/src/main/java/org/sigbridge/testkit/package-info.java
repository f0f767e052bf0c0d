/**
 * Test support shared by every module's tests: real peers ({@code peers}, {@code junit}), protocol clients
 * ({@code web}, {@code xmpp}, {@code sip}), recording adapters ({@code recording}) and {@link org.sigbridge.testkit.Poll}.
 */
package org.sigbridge.testkit;
