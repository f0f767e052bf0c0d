package org.sigbridge.sip.mapping;

import java.util.Objects;

/**
 * A SIP user agent taking part in a channel.
 *
 * @param uri  where MESSAGEs for the channel go, e.g. {@code sip:alice@127.0.0.1:5062;transport=tcp}
 * @param name what to show in presence: the From display name or user part
 */
public record SipMember(String uri, String name) {

    public SipMember {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(name, "name");
    }
}
