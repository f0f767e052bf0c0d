/**
 * A JAIN-SIP (RI 1.3.0-91) user agent for tests against a real Kamailio. Its stack logs through the same
 * SLF4J-backed {@code STACK_LOGGER}/{@code SERVER_LOGGER} as the sip adapter's ({@code org.sigbridge.jainsip}),
 * so it runs without log4j.
 *
 * <p>{@link org.sigbridge.testkit.sip.SipUserAgent} owns one stack with a unique name, listens on UDP and TCP
 * on one probed 127.0.0.1 port, REGISTERs and sends MESSAGEs (RFC 3428) through a preloaded loose route,
 * and queues the MESSAGEs it receives. {@link org.sigbridge.testkit.sip.NoOpSipListener} is the listener of a test
 * stack that hears nothing, or little.
 */
package org.sigbridge.testkit.sip;
