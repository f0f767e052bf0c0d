package org.sigbridge.testkit.sip;

/** The SIP transports the test user agent can send on (RFC 3261 §18). */
public enum SipTransport {
    UDP, TCP;

    /** The lower-case token used in Via, {@code transport=} URI parameters and JAIN-SIP listening points. */
    public String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
