package org.sigbridge.xmpp.session;

import java.util.Objects;
import org.sigbridge.config.Secret;

/**
 * Who a session logs in as.
 *
 * @param domain    the XMPP domain (for anonymous logins, the anonymous host)
 * @param username  the account localpart; {@code null} for SASL ANONYMOUS
 * @param password  its password; {@code null} for SASL ANONYMOUS
 * @param resource  the resource to bind
 */
public record Identity(String domain, String username, Secret password, String resource) {

    public Identity {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(resource, "resource");
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("username and password go together");
        }
    }

    /** SASL ANONYMOUS (RFC 4505) on {@code domain}. */
    public static Identity anonymous(String domain, String resource) {
        return new Identity(domain, null, null, resource);
    }

    public boolean isAnonymous() {
        return username == null;
    }

    /** For logs: {@code alice@example.org} or {@code anonymous@anon.example.org}; never the password. */
    @Override
    public String toString() {
        return (isAnonymous() ? "anonymous" : username) + "@" + domain;
    }
}
