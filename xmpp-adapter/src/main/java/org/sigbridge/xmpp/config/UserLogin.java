package org.sigbridge.xmpp.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code per-user-login:} how a per-user occupant's own XMPP session authenticates. */
public enum UserLogin {
    /** SASL ANONYMOUS (RFC 4505) on {@code anonymous-domain}; the server assigns a throw-away JID (the default). */
    @JsonProperty("anonymous") ANONYMOUS,
    /** The configured {@code username}/{@code password}, one extra resource per sender. */
    @JsonProperty("account") ACCOUNT;

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
