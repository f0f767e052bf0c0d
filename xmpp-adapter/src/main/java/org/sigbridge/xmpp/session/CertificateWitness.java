package org.sigbridge.xmpp.session;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The trust manager of one connection attempt: decides exactly as {@code delegate} does (the configured
 * {@code trust-certificates}/{@code trust-store}, or the JVM's default CAs) and remembers the certificate the
 * server presented, so that a refused certificate can be named in one log line (subject, issuer, fingerprint)
 * instead of a stack trace. Written by the TLS handshake (Smack's connecting thread), read afterwards by the same
 * attempt's failure handling; fields are volatile.
 */
public final class CertificateWitness extends X509ExtendedTrustManager {

    /**
     * What the server presented.
     *
     * @param subject     the leaf certificate's subject DN
     * @param issuer      its issuer DN
     * @param selfSigned  subject and issuer are the same
     * @param sha256      SHA-256 fingerprint of the leaf, colon-separated hex
     * @param refusal     why the trust manager refused it, or {@code null} when it was trusted
     * @param names       the DNS names in its subjectAltName (RFC 6125), in order; empty when it has none
     */
    public record Presented(String subject, String issuer, boolean selfSigned, String sha256, String refusal,
                            java.util.List<String> names) {

        /** {@code subject CN=localhost, issuer CN=localhost (self-signed), SHA-256 AB:CD:…}. */
        public String describe() {
            return "subject " + subject + ", issuer " + (selfSigned ? issuer + " (self-signed)" : issuer) + ", SHA-256 " + sha256;
        }
    }

    private final X509TrustManager delegate;
    private volatile Presented presented;

    public CertificateWitness(X509TrustManager delegate) {
        this.delegate = delegate;
    }

    /** The server's certificate of this attempt, once the handshake has seen it. */
    public Optional<Presented> presented() {
        return Optional.ofNullable(presented);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        witness(chain, () -> {
            if (delegate instanceof X509ExtendedTrustManager x) {
                x.checkServerTrusted(chain, authType, socket);
            } else {
                delegate.checkServerTrusted(chain, authType);
            }
        });
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        witness(chain, () -> {
            if (delegate instanceof X509ExtendedTrustManager x) {
                x.checkServerTrusted(chain, authType, engine);
            } else {
                delegate.checkServerTrusted(chain, authType);
            }
        });
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        witness(chain, () -> delegate.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    private interface Check {
        void run() throws CertificateException;
    }

    private void witness(X509Certificate[] chain, Check check) throws CertificateException {
        try {
            check.run();
            presented = describe(chain, null);
        } catch (CertificateException e) {
            presented = describe(chain, innermost(e));
            throw e;
        }
    }

    private static Presented describe(X509Certificate[] chain, String refusal) {
        if (chain == null || chain.length == 0) {
            return new Presented("(none)", "(none)", false, "(none)", refusal, java.util.List.of());
        }
        X509Certificate leaf = chain[0];
        String subject = leaf.getSubjectX500Principal().getName();
        String issuer = leaf.getIssuerX500Principal().getName();
        return new Presented(subject, issuer, subject.equals(issuer), fingerprint(leaf), refusal, dnsNames(leaf));
    }

    /** The subjectAltName dNSName entries (type 2) of {@code cert}. */
    private static java.util.List<String> dnsNames(X509Certificate cert) {
        try {
            java.util.Collection<java.util.List<?>> all = cert.getSubjectAlternativeNames();
            if (all == null) {
                return java.util.List.of();
            }
            return all.stream().filter(e -> e.size() >= 2 && Integer.valueOf(2).equals(e.get(0))).map(e -> String.valueOf(e.get(1))).toList();
        } catch (java.security.cert.CertificateParsingException e) {
            return java.util.List.of();
        }
    }

    private static String fingerprint(X509Certificate cert) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "(" + e.getClass().getSimpleName() + ")";
        }
    }

    /** The deepest cause's message: "unable to find valid certification path to requested target". */
    static String innermost(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
