package org.sigbridge.xmpp.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Enumeration;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.sigbridge.config.TrustSettings;
import org.sigbridge.xmpp.config.XmppSettings;

/**
 * The certificates STARTTLS trusts: the JVM's defaults, or exactly those in {@code trust-certificates}
 * (PEM) and/or {@code trust-store} (PKCS12/JKS). Smack 4.4 honours a custom trust manager but ignores the
 * trust managers of a custom SSLContext, hence an {@link X509TrustManager}.
 */
public final class TrustMaterial {

    private TrustMaterial() {
    }

    /**
     * Loads the configured trust, reading the files once, at start-up.
     *
     * @return empty when neither file is configured (the JVM's default trust applies)
     * @throws IllegalArgumentException with an operator-facing line when a file is missing or unreadable
     */
    public static Optional<X509TrustManager> load(XmppSettings settings) {
        TrustSettings trust = settings.trust();
        if (!trust.configured()) {
            return Optional.empty();
        }
        try {
            KeyStore combined = KeyStore.getInstance(KeyStore.getDefaultType());
            combined.load(null, null);
            int n = 0;
            if (trust.certificates() != null) {
                for (Certificate cert : readPem(Path.of(trust.certificates()))) {
                    combined.setCertificateEntry("pem-" + n++, cert);
                }
            }
            if (trust.store() != null) {
                KeyStore store = readStore(trust);
                for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
                    Certificate cert = store.getCertificate(aliases.nextElement());
                    if (cert != null) {
                        combined.setCertificateEntry("store-" + n++, cert);
                    }
                }
            }
            if (n == 0) {
                throw new IllegalArgumentException("trust-certificates / trust-store hold no certificate; add the server's"
                        + " certificate or its CA");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(combined);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return Optional.of(x509);
                }
            }
            throw new IllegalStateException("the JVM offers no X509TrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot build the TLS trust: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> readPem(Path file) throws IOException, GeneralSecurityException {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("trust-certificates file " + file + " is not readable; give a PEM file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    private static KeyStore readStore(TrustSettings trust) throws IOException, GeneralSecurityException {
        Path file = Path.of(trust.store());
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("trust-store file " + file + " is not readable");
        }
        KeyStore store = KeyStore.getInstance(trust.storeType());
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, trust.storePasswordChars());
        }
        return store;
    }
}
