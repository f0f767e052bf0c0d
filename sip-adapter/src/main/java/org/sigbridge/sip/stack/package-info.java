/**
 * The JAIN-SIP RI stack for one adapter: {@link org.sigbridge.sip.stack.SipStackRunner} creates it with a unique
 * name, UDP and TCP (and TLS) listening points and one provider, and stops it without leaving threads
 * behind. JAIN-SIP's logging goes to SLF4J through {@link org.sigbridge.jainsip.Slf4jStackLogger} and
 * {@link org.sigbridge.jainsip.Slf4jServerLogger} (module jainsip-slf4j), since log4j 1.x is not on the class
 * path.
 */
package org.sigbridge.sip.stack;
