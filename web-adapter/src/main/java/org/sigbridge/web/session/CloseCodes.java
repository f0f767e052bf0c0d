package org.sigbridge.web.session;

/** The RFC 6455 §7.4.1 status codes the web adapter closes with. */
public final class CloseCodes {

    /** The bridge is stopping. */
    public static final int GOING_AWAY = 1001;
    /** Rate limit exceeded persistently, or too many sockets from one address. */
    public static final int POLICY_VIOLATION = 1008;
    /** A frame above {@code max-frame-bytes} (Jetty closes with it by itself). */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** The outbound queue overflowed: a slow consumer. */
    public static final int TRY_AGAIN_LATER = 1013;

    private CloseCodes() {
    }
}
