package org.sigbridge.xmpp.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code tls:} how the client stream is secured: STARTTLS (RFC 6120 §5) or TLS from the first byte (XEP-0368). */
public enum TlsMode {
    /** STARTTLS must succeed, or the bridge does not log in (the default). */
    @JsonProperty("required") REQUIRED,
    /** STARTTLS if the server offers it, plain text otherwise. */
    @JsonProperty("optional") OPTIONAL,
    /** Never STARTTLS; for loopback test servers only. */
    @JsonProperty("disabled") DISABLED,
    /**
     * TLS from the first byte, before the XML stream opens (XEP-0368 direct TLS): to a server's direct-TLS port
     * (5223 by default; Prosody {@code c2s_direct_tls_ports}), never STARTTLS. Trust and name check as {@link #REQUIRED}.
     */
    @JsonProperty("direct") DIRECT;

    /** The config spelling, e.g. {@code required}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
