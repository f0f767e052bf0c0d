package org.sigbridge.xmpp.session;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.stringprep.XmppStringprepException;
import org.sigbridge.xmpp.config.TlsMode;
import org.sigbridge.xmpp.config.XmppSettings;

/**
 * Builds Smack connection configurations from the adapter settings. When {@code host} is configured the
 * address is given to Smack directly ({@code setHostAddress}), so Smack never does the DNS SRV lookup of
 * RFC 6120 §3.2.1; an IP literal involves no lookup at all. Immutable and thread-safe.
 */
public final class ConnectionConfigs {

    private final XmppSettings settings;
    private final Optional<X509TrustManager> trust;

    public ConnectionConfigs(XmppSettings settings, Optional<X509TrustManager> trust) {
        this.settings = settings;
        this.trust = trust;
    }

    /**
     * A configuration for one connection attempt. May resolve a host name (A/AAAA, not SRV), so call it
     * on a request thread, not the worker.
     *
     * @throws UnknownHostException if a configured host name does not resolve
     */
    public XMPPTCPConnectionConfiguration build(Identity identity) throws UnknownHostException, XmppStringprepException {
        XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(identity.domain())
                .setPort(settings.port())
                .setResource(identity.resource())
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
                .setCompressionEnabled(false)
                .setSecurityMode(switch (settings.tls()) {
                    case REQUIRED -> SecurityMode.required;
                    case OPTIONAL -> SecurityMode.ifpossible;
                    case DISABLED -> SecurityMode.disabled;
                });
        if (settings.host() != null) {
            b.setHostAddress(InetAddress.getByName(settings.host()));
        }
        trust.ifPresent(b::setCustomX509TrustManager);
        if (identity.isAnonymous()) {
            b.performSaslAnonymousAuthentication();
        } else {
            b.setUsernameAndPassword(identity.username(), identity.password().reveal());
        }
        return b.build();
    }

    /** For logs and {@code describe()}: {@code 127.0.0.1:5222 (starttls required)}. */
    public String describeTransport() {
        String where = (settings.host() != null ? settings.host() : "SRV of " + settings.domain()) + ":" + settings.port();
        String tls = settings.tls() == TlsMode.DISABLED ? "plain, no TLS" : "starttls " + settings.tls();
        return where + " (" + tls + ")";
    }
}
