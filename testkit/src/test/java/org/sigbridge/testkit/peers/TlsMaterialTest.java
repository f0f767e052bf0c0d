package org.sigbridge.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TlsMaterial}: a leaf it issues carries the names asked for and is signed by its CA, a self-signed one is not;
 * the key store holds the leaf's key and certificate and the trust store the CA, both under {@link TlsMaterial#PASSWORD};
 * close deletes the files.
 */
class TlsMaterialTest {

    @Test
    void issuesNamedCertificatesAndStoresAndDeletesThemOnClose() throws Exception {
        Path dir;
        try (TlsMaterial certs = TlsMaterial.create("sigbridge-tls-material-")) {
            dir = certs.dir();
            TlsMaterial.Pem ca = certs.authority("ca");
            TlsMaterial.Pem leaf = certs.issue(ca, "leaf", "localhost", "DNS:localhost", "IP:127.0.0.1");
            TlsMaterial.Pem rogue = certs.selfSigned("rogue", "localhost", "DNS:localhost");

            X509Certificate caCert = read(ca.certificate());
            X509Certificate leafCert = read(leaf.certificate());
            leafCert.verify(caCert.getPublicKey());
            assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")), List.copyOf(leafCert.getSubjectAlternativeNames()));
            assertThrows(GeneralSecurityException.class, () -> read(rogue.certificate()).verify(caCert.getPublicKey()));

            KeyStore keys = load(certs.keyStore("leaf", leaf));
            String alias = keys.aliases().nextElement();
            assertNotNull(keys.getKey(alias, TlsMaterial.PASSWORD.toCharArray()));
            assertEquals(leafCert, keys.getCertificate(alias));
            KeyStore trust = load(certs.trustStore("trust", ca));
            assertEquals(caCert, trust.getCertificate(trust.aliases().nextElement()));
            assertTrue(Files.exists(leaf.key()));
        }
        assertFalse(Files.exists(dir), "close() deletes the directory");
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static KeyStore load(Path p12) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, TlsMaterial.PASSWORD.toCharArray());
        }
        return store;
    }
}
