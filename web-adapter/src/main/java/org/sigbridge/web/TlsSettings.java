package org.sigbridge.web;

import java.nio.file.Files;
import java.nio.file.Path;
import org.sigbridge.config.Secret;

/**
 * The {@code tls:} subsection: serve the web port over TLS ({@code https://}, {@code wss://}). Give either a PEM
 * certificate chain and its unencrypted PKCS#8 key, or a key store. Files are checked to exist here; they are
 * read when the adapter starts.
 *
 * @param certFile         PEM certificate chain, leaf first (e.g. Let's Encrypt's {@code fullchain.pem})
 * @param keyFile          PEM private key, unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----})
 * @param keystore         a PKCS12 (or JKS) key store holding one key entry, instead of the PEM files
 * @param keystorePassword the key store's password (and its key's), usually {@code ${SIGBRIDGE_KEYSTORE_PASSWORD}}
 * @param keystoreType     {@code PKCS12} (default) or {@code JKS}
 */
public record TlsSettings(String certFile, String keyFile, String keystore, Secret keystorePassword, String keystoreType) {

    public TlsSettings {
        keystoreType = keystoreType == null ? "PKCS12" : keystoreType;
        boolean pem = certFile != null || keyFile != null;
        if (pem == (keystore != null)) {
            throw new IllegalArgumentException("tls needs either cert-file and key-file (PEM) or keystore, not "
                    + (pem ? "both" : "neither"));
        }
        if (pem) {
            if (certFile == null || keyFile == null) {
                throw new IllegalArgumentException("tls needs both cert-file and key-file");
            }
            requireFile("tls.cert-file", certFile);
            requireFile("tls.key-file", keyFile);
        } else {
            requireFile("tls.keystore", keystore);
            if (keystorePassword == null) {
                throw new IllegalArgumentException("tls.keystore-password is missing; set it, e.g. ${SIGBRIDGE_KEYSTORE_PASSWORD}");
            }
            if (!keystoreType.equals("PKCS12") && !keystoreType.equals("JKS")) {
                throw new IllegalArgumentException("tls.keystore-type must be PKCS12 or JKS, not " + keystoreType);
            }
        }
    }

    /** Whether the PEM pair is used (else the key store). */
    public boolean pem() {
        return certFile != null;
    }

    private static void requireFile(String key, String file) {
        if (!Files.isReadable(Path.of(file))) {
            throw new IllegalArgumentException(key + " '" + file + "' is not a readable file");
        }
    }
}
