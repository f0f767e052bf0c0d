package org.sigbridge.web;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sigbridge.config.KeyStoreSettings;
import org.sigbridge.config.OptionalSecret;
import org.sigbridge.config.Secret;

/**
 * The {@code tls:} subsection: serve the web port over TLS ({@code https://}, {@code wss://}). Give either a PEM
 * certificate chain and its unencrypted PKCS#8 key, or a key store, spelled as in every section
 * ({@link KeyStoreSettings}). Files are checked to exist here; they are read when the adapter starts.
 *
 * <p>The first spellings {@code keystore}, {@code keystore-password} and {@code keystore-type} are still read,
 * with a warning at load naming the new key.
 *
 * @param certFile         PEM certificate chain, leaf first (e.g. Let's Encrypt's {@code fullchain.pem})
 * @param keyFile          PEM private key, unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----})
 * @param keyStore         a PKCS12 (or JKS) key store holding one key entry, instead of the PEM files
 * @param keyStorePassword the key store's password (and its key's), usually {@code ${SIGBRIDGE_KEYSTORE_PASSWORD}}
 * @param keyStoreType     {@code PKCS12} (default) or {@code JKS}
 */
public record TlsSettings(String certFile, String keyFile, @JsonAlias("keystore") String keyStore,
                          @JsonAlias("keystore-password") @JsonDeserialize(using = OptionalSecret.class) Secret keyStorePassword,
                          @JsonAlias("keystore-type") String keyStoreType) {

    public TlsSettings {
        boolean pem = certFile != null || keyFile != null;
        if (pem == (keyStore != null)) {
            throw new IllegalArgumentException("tls needs either cert-file and key-file (PEM) or key-store, not "
                    + (pem ? "both" : "neither"));
        }
        if (pem) {
            if (certFile == null || keyFile == null) {
                throw new IllegalArgumentException("tls needs both cert-file and key-file");
            }
            requireFile("tls.cert-file", certFile);
            requireFile("tls.key-file", keyFile);
            keyStoreType = keyStoreType == null ? "PKCS12" : keyStoreType;
        } else {
            KeyStoreSettings store = KeyStoreSettings.of("tls.", keyStore, keyStorePassword, keyStoreType);
            if (keyStorePassword == null) {
                throw new IllegalArgumentException("tls.key-store-password is missing; set it, e.g. ${SIGBRIDGE_KEYSTORE_PASSWORD}");
            }
            keyStore = store.path();
            keyStoreType = store.type();
        }
    }

    /** Whether the PEM pair is used (else the key store). */
    public boolean pem() {
        return certFile != null;
    }

    /** The key store, when {@link #pem()} is false. */
    public KeyStoreSettings keyStoreSettings() {
        return new KeyStoreSettings(keyStore, keyStorePassword, keyStoreType);
    }

    private static void requireFile(String key, String file) {
        if (!Files.isReadable(Path.of(file))) {
            throw new IllegalArgumentException(key + " '" + file + "' is not a readable file");
        }
    }
}
