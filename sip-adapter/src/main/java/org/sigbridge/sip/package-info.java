/**
 * The SIP leg: channels carried as RFC 3428 MESSAGE requests through JAIN-SIP RI. {@link org.sigbridge.sip.SipAdapterFactory}
 * binds the {@code type: sip} section to {@link org.sigbridge.sip.SipSettings} and checks routes;
 * {@link org.sigbridge.sip.SipAdapter} wires the stack, registration, sender, inbound handler and membership together.
 */
package org.sigbridge.sip;
