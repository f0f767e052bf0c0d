package org.sigbridge.xmpp.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code tls:} how the client stream is secured (RFC 6120 §5, STARTTLS). */
public enum TlsMode {
    /** STARTTLS must succeed, or the bridge does not log in (the default). */
    @JsonProperty("required") REQUIRED,
    /** STARTTLS if the server offers it, plain text otherwise. */
    @JsonProperty("optional") OPTIONAL,
    /** Never STARTTLS; for loopback test servers only. */
    @JsonProperty("disabled") DISABLED;

    /** The config spelling, e.g. {@code required}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
