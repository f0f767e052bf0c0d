package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A 2-day self-signed RSA certificate made with {@code openssl req -x509}, with the given DNS names as
 * subjectAltName, plus a trust store that trusts exactly this certificate. Immutable after creation.
 */
public final class SelfSignedCertificate {
    private final Path certificateFile;
    private final Path keyFile;
    private final X509Certificate certificate;

    private SelfSignedCertificate(Path certificateFile, Path keyFile, X509Certificate certificate) {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.certificate = certificate;
    }

    /**
     * Writes {@code BASENAME.crt} and {@code BASENAME.key} (PEM, unencrypted) into {@code dir}; the first DNS
     * name is the CN. Blocks for openssl (about 100 ms).
     */
    static SelfSignedCertificate generate(Path dir, String baseName, List<String> dnsNames) {
        Path crt = dir.resolve(baseName + ".crt");
        Path key = dir.resolve(baseName + ".key");
        String san = dnsNames.stream().map(n -> "DNS:" + n).collect(Collectors.joining(","));
        List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-days", "2", "-subj", "/CN=" + dnsNames.get(0), "-addext", "subjectAltName=" + san,
                "-keyout", key.toString(), "-out", crt.toString()));
        ShortCommand.run(command, dir, Duration.ofSeconds(20));
        return new SelfSignedCertificate(crt, key, read(crt));
    }

    /** The certificate in PEM. */
    public Path certificateFile() {
        return certificateFile;
    }

    /** The unencrypted private key in PEM. */
    public Path keyFile() {
        return keyFile;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** A fresh in-memory PKCS12 key store holding only this certificate as a trusted entry. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("sigbridge-test", certificate);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new PeerException("cannot build a trust store for " + certificateFile, e);
        }
    }

    /** A trust manager that accepts exactly this certificate (e.g. for Smack's setCustomX509TrustManager). */
    public X509TrustManager trustManager() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore());
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new PeerException("no X509TrustManager from " + factory.getAlgorithm());
        } catch (GeneralSecurityException e) {
            throw new PeerException("cannot build a trust manager for " + certificateFile, e);
        }
    }

    private static X509Certificate read(Path crt) {
        try (InputStream in = Files.newInputStream(crt)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new PeerException("cannot read the certificate openssl wrote to " + crt, e);
        }
    }
}
