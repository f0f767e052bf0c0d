package org.sigbridge.xmpp.session;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.java7.XmppHostnameVerifier;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.minidns.dnsname.DnsName;
import org.jxmpp.stringprep.XmppStringprepException;
import org.sigbridge.xmpp.config.TlsMode;
import org.sigbridge.xmpp.config.XmppSettings;

/**
 * Builds Smack connection configurations from the adapter settings. When {@code host} is configured the
 * address is given to Smack directly ({@code setHostAddress}), so Smack never does the DNS SRV lookup of
 * RFC 6120 §3.2.1; an IP literal involves no lookup at all.
 *
 * <p>{@code tls: direct} (XEP-0368): the configuration's socket factory is a {@link DirectTlsSocketFactory}, which
 * secures the socket (handshake, trust, name check) before Smack writes a byte, and Smack's security mode is
 * {@code disabled}. That is not "no TLS": Smack 4.4 counts as secure only a socket it secured itself by STARTTLS
 * ({@code XMPPTCPConnection.isSecureConnection()}), so {@code required} would refuse the connection after it, and
 * {@code disabled} keeps Smack from negotiating STARTTLS inside the TLS stream (a server does not offer it there).
 * Without {@code host}, the server is found by the SRV lookup of {@code _xmpps-client._tcp} ({@link XmppsSrv}).
 * Immutable and thread-safe.
 */
public final class ConnectionConfigs {

    private final XmppSettings settings;
    private final X509TrustManager trust;
    private final boolean trustConfigured;

    /**
     * @param trust the configured trust ({@code trust-certificates}/{@code trust-store}); empty for the JVM's default CAs
     * @throws IllegalStateException if the JVM offers no default X.509 trust manager
     */
    public ConnectionConfigs(XmppSettings settings, Optional<X509TrustManager> trust) {
        this.settings = settings;
        this.trustConfigured = trust.isPresent();
        this.trust = trust.orElseGet(ConnectionConfigs::jvmDefaultTrust);
    }

    /** A fresh witness for one connection attempt, deciding as the configured (or the JVM's default) trust does. */
    public CertificateWitness newWitness() {
        return new CertificateWitness(trust);
    }

    /** Whether {@code trust-certificates} or {@code trust-store} is set (else the JVM's default CAs are trusted). */
    public boolean trustConfigured() {
        return trustConfigured;
    }

    /**
     * The server as configured: {@code 127.0.0.1:5222}, {@code SRV of example.org:5222}, or with {@code tls: direct} and
     * no host {@code SRV _xmpps-client._tcp of example.org}.
     */
    public String describeServer() {
        if (settings.host() == null && directTls()) {
            return "SRV " + XmppsSrv.SERVICE + " of " + settings.domain();
        }
        return (settings.host() != null ? settings.host() : "SRV of " + settings.domain()) + ":" + settings.port();
    }

    /** Whether the stream is TLS from the first byte ({@code tls: direct}, XEP-0368). */
    public boolean directTls() {
        return settings.tls() == TlsMode.DIRECT;
    }

    private static X509TrustManager jvmDefaultTrust() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM's default TLS trust cannot be loaded: " + e.getMessage(), e);
        }
        throw new IllegalStateException("the JVM offers no X509TrustManager");
    }

    /**
     * A configuration for one connection attempt, whose TLS handshake is judged by {@code witness}. May resolve a
     * host name (A/AAAA; and with {@code tls: direct} and no host, the XEP-0368 SRV records), so call it on a request thread, not the worker.
     *
     * @throws UnknownHostException if a configured host name does not resolve
     */
    public XMPPTCPConnectionConfiguration build(Identity identity, CertificateWitness witness)
            throws UnknownHostException, XmppStringprepException {
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
                    case DIRECT -> SecurityMode.disabled; // secured by the socket factory below, see the class comment
                });
        if (settings.host() != null) {
            b.setHostAddress(InetAddress.getByName(settings.host()));
        } else if (directTls()) {
            // XEP-0368 §3: the direct-TLS service's own SRV records; without any, the domain itself at the port.
            Optional<XmppsSrv.Target> srv = XmppsSrv.best(identity.domain());
            b.setHost(srv.map(XmppsSrv.Target::host).orElse(DnsName.from(identity.domain())));
            b.setPort(srv.map(XmppsSrv.Target::port).orElse(settings.port()));
        }
        b.setCustomX509TrustManager(witness);
        if (directTls()) {
            b.setSocketFactory(new DirectTlsSocketFactory(sslContext(witness), DnsName.from(identity.domain()).ace,
                    new XmppHostnameVerifier(), settings.connectTimeout()));
        }
        if (identity.isAnonymous()) {
            b.performSaslAnonymousAuthentication();
        } else {
            b.setUsernameAndPassword(identity.username(), identity.password().reveal());
        }
        return b.build();
    }

    private static SSLContext sslContext(CertificateWitness witness) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {witness}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM offers no TLS: " + e.getMessage(), e);
        }
    }

    /** For logs and {@code describe()}: {@code 127.0.0.1:5222 (starttls required)}, {@code 127.0.0.1:5223 (direct tls)}. */
    public String describeTransport() {
        String where = describeServer();
        String tls = switch (settings.tls()) {
            case DISABLED -> "plain, no TLS";
            case DIRECT -> "direct tls";
            default -> "starttls " + settings.tls();
        };
        return where + " (" + tls + ")";
    }
}
