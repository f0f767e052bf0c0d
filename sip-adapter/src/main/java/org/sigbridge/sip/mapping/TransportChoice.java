package org.sigbridge.sip.mapping;

import java.util.Locale;

/** The route option {@code transport}: which transport outgoing MESSAGEs use. */
public enum TransportChoice {
    /** UDP, unless the request is larger than 1300 bytes, then TCP (RFC 3261 §18.1.1). TLS for sips: URIs. */
    AUTO,
    /** Always UDP, except above 1300 bytes where RFC 3261 §18.1.1 requires TCP. */
    UDP,
    /** Always TCP. */
    TCP;

    /** {@code auto}, {@code udp} or {@code tcp}, as written in config. */
    public static TransportChoice parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "udp" -> UDP;
            case "tcp" -> TCP;
            default -> throw new IllegalArgumentException("transport '" + text + "' must be udp, tcp or auto");
        };
    }
}
