package org.sigbridge.sip.stack;

import gov.nist.javax.sip.ClientTransactionExt;
import gov.nist.javax.sip.TlsSecurityPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.sip.address.Hop;

/**
 * The name check JAIN-SIP RI 1.3 leaves out: after a TLS handshake the stack opened to send a request, the server's
 * certificate (already trusted by the trust store) must name the host the request was sent to (RFC 5922 §7.3, the
 * SIP domain identity of §7.1): a {@code sip:} URI or DNS name in its subjectAltName equal to the host (no wildcards,
 * §7.2), an IP address entry for an IP literal, and the subject's CN only when the certificate has no
 * subjectAltName. Without it, any certificate the configured CA issued, for any host, was accepted.
 *
 * <p>Named by {@code gov.nist.javax.sip.TLS_SECURITY_POLICY}; JAIN-SIP instantiates it with the no-argument
 * constructor and calls {@link #enforceTlsPolicy} on the thread that sends the request, right after the handshake;
 * a {@link SecurityException} ends that connection (JAIN-SIP turns it into an {@code IOException}), and the refusal
 * goes to {@link #onRefusal}'s sink, which fails the request at once with the reason (reported to the envelope's
 * sender by id) and to the leg's readiness, which logs the cause once ({@code org.sigbridge.sip.session.TlsPeers}); each
 * refused connection is logged at DEBUG. Thread-safe.
 */
public final class TlsNameCheck implements TlsSecurityPolicy {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TlsNameCheck.class);

    private volatile java.util.function.BiConsumer<javax.sip.ClientTransaction, String> refused = (t, why) -> { };

    public TlsNameCheck() {
        // instantiated by JAIN-SIP by name
    }

    /**
     * Who hears of a refusal, with the transaction and the reason, on the sending thread, before JAIN-SIP fails the
     * send: JAIN-SIP RI 1.3 does not fail {@code sendRequest} for it (the request would just time out), so the adapter
     * finishes the request itself with the reason. Set once by {@link SipStackRunner#onTlsRefusal}.
     */
    void onRefusal(java.util.function.BiConsumer<javax.sip.ClientTransaction, String> sink) {
        this.refused = sink;
    }

    @Override
    public void enforceTlsPolicy(ClientTransactionExt transaction) throws SecurityException {
        if (transaction == null || transaction.getNextHop() == null) {
            return; // a connection opened without a request (JAIN-SIP answering on a new connection): no host to check
        }
        Hop hop = transaction.getNextHop();
        String host = hop.getHost();
        Certificate[] chain;
        try {
            chain = transaction.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            throw new SecurityException("TLS peer " + host + ":" + hop.getPort() + " presented no certificate", e);
        }
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            throw new SecurityException("TLS peer " + host + ":" + hop.getPort() + " presented no X.509 certificate");
        }
        if (!names(leaf, host)) {
            String why = "the certificate of TLS peer " + host + ":" + hop.getPort() + " does not name " + host
                    + " (it names " + String.join(", ", identities(leaf)) + "; subject " + leaf.getSubjectX500Principal().getName()
                    + "; RFC 5922 §7.3): use a route target with a name the peer's certificate carries, or give the peer a"
                    + " certificate for " + host;
            log.debug("refused TLS peer {}:{}: its certificate does not name {} (it names {}); RFC 5922 §7.3", host, hop.getPort(),
                    host, String.join(", ", identities(leaf)));
            refused.accept(transaction, why);
            throw new SecurityException("the certificate of TLS peer " + host + ":" + hop.getPort() + " does not name " + host
                    + " (it names " + String.join(", ", identities(leaf)) + "; subject " + leaf.getSubjectX500Principal().getName()
                    + "; RFC 5922 §7.3): the route target must use a name the peer's certificate carries,"
                    + " or the peer a certificate for " + host);
        }
    }

    /** Whether {@code cert} names {@code host} (RFC 5922 §7.2; case-insensitive, no wildcards). */
    static boolean names(X509Certificate cert, String host) {
        String h = stripBrackets(host).toLowerCase(Locale.ROOT);
        Collection<List<?>> sans = subjectAltNames(cert);
        if (sans == null) {
            return cn(cert).equalsIgnoreCase(h);
        }
        byte[] ip = ipLiteral(h);
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (type == 2 && ip == null && value.equalsIgnoreCase(h)) {
                return true; // dNSName
            }
            if (type == 6 && ip == null && (value.equalsIgnoreCase("sip:" + h) || value.equalsIgnoreCase("sips:" + h))) {
                return true; // uniformResourceIdentifier sip:domain
            }
            if (type == 7 && ip != null && java.util.Arrays.equals(ipLiteral(value), ip)) {
                return true; // iPAddress
            }
        }
        return false;
    }

    private static List<String> identities(X509Certificate cert) {
        Collection<List<?>> sans = subjectAltNames(cert);
        List<String> out = new ArrayList<>();
        if (sans == null) {
            out.add("CN " + cn(cert));
        } else {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                if (type == 2 || type == 6 || type == 7) {
                    out.add(String.valueOf(san.get(1)));
                }
            }
        }
        return out.isEmpty() ? List.of("no host") : out;
    }

    private static Collection<List<?>> subjectAltNames(X509Certificate cert) {
        try {
            return cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static String cn(X509Certificate cert) {
        for (String part : cert.getSubjectX500Principal().getName().split(",")) {
            if (part.trim().regionMatches(true, 0, "CN=", 0, 3)) {
                return part.trim().substring(3);
            }
        }
        return "";
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The address of an IPv4 or IPv6 literal; {@code null} for a name (never a DNS lookup). */
    private static byte[] ipLiteral(String host) {
        String h = stripBrackets(host);
        boolean v4 = h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = h.contains(":") && h.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(h).getAddress(); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
