package org.sigbridge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A key store holding this bridge's certificate and private key, for any leg that serves or speaks TLS.
 * Every section spells its keys the same way: {@code key-store}, {@code key-store-password},
 * {@code key-store-type} (see {@code conf/README.md}). The file is checked to be readable here and read
 * when the adapter starts.
 *
 * @param path     a PKCS12 or JKS file
 * @param password its password (and its key's), {@code null} when it has none
 * @param type     {@code PKCS12} or {@code JKS}
 */
public record KeyStoreSettings(String path, Secret password, String type) {

    public KeyStoreSettings {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("key-store path is missing");
        }
    }

    /**
     * Checks the keys of a section and builds the record.
     *
     * @param prefix where the keys sit, e.g. {@code tls.}; named in messages
     * @param type   {@code null} or blank for {@code PKCS12}; case does not matter
     * @throws IllegalArgumentException naming the key and the fix
     */
    public static KeyStoreSettings of(String prefix, String path, Secret password, String type) {
        String p = Check.blankToNull(path);
        if (p == null) {
            throw new IllegalArgumentException(prefix + "key-store is required: a PKCS12 file holding the bridge's certificate and key");
        }
        if (!Files.isReadable(Path.of(p))) {
            throw new IllegalArgumentException(prefix + "key-store '" + p + "' is not a readable file; fix the path");
        }
        return new KeyStoreSettings(p, password, storeType(prefix + "key-store-type", type));
    }

    /** {@code PKCS12} for an absent type, else {@code PKCS12} or {@code JKS} in upper case. */
    static String storeType(String key, String type) {
        String t = Check.blankToNull(type);
        if (t == null) {
            return "PKCS12";
        }
        t = t.toUpperCase(Locale.ROOT);
        if (!t.equals("PKCS12") && !t.equals("JKS")) {
            throw new IllegalArgumentException(key + " must be PKCS12 or JKS, not " + type);
        }
        return t;
    }

    /** The password as the JDK's key store API wants it; {@code null} when there is none. */
    public char[] passwordChars() {
        return password == null ? null : password.reveal().toCharArray();
    }
}
