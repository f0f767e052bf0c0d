package org.sigbridge.sip.mapping;

import java.util.Objects;

/**
 * A SIP user agent taking part in a channel.
 *
 * @param uri  where MESSAGEs for the channel go, e.g. {@code sip:alice@127.0.0.1:5062;transport=tcp}
 * @param name what to show in presence: the From display name or user part
 * @param aor  the address of record it wrote from (its From URI without parameters, e.g. {@code sip:alice@localhost}):
 *             a route target or static member naming that AOR already reaches it through the registrar
 */
public record SipMember(String uri, String name, String aor) {

    public SipMember {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(aor, "aor");
    }

    /** A member whose AOR is its URI (it sent no Contact, or none is known). */
    public SipMember(String uri, String name) {
        this(uri, name, uri);
    }
}
