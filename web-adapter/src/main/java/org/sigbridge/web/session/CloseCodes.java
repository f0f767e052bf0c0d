package org.sigbridge.web.session;

/** The RFC 6455 §7.4.1 status codes the web adapter closes with. */
public final class CloseCodes {

    /** The bridge is stopping. */
    public static final int GOING_AWAY = 1001;
    /** Rate limit exceeded persistently, or too many sockets from one address. */
    public static final int POLICY_VIOLATION = 1008;
    /** A text message that is not UTF-8 (RFC 6455 §8.1). */
    public static final int BAD_PAYLOAD = 1007;
    /** A frame or message above {@code max-frame-bytes}. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** The outbound queue overflowed: a slow consumer. */
    public static final int TRY_AGAIN_LATER = 1013;

    private CloseCodes() {
    }
}
