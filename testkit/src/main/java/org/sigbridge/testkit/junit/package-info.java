/**
 * JUnit 5 extensions that hand a test a started real peer and close it afterwards: register one with
 * {@code @RegisterExtension} on a static field for one peer per test class, or on an instance field for a
 * fresh peer per test.
 *
 * <p>Peers start in JUnit's callbacks on the test thread; a peer that cannot start fails the test (or the
 * class) with the peer's log tail. Nothing is ever skipped.
 */
package org.sigbridge.testkit.junit;
