package org.sigbridge.config;

/**
 * The certificates a leg trusts for its TLS peers: a PEM file of certificates and/or a key store of them.
 * Every section spells its keys the same way: {@code trust-certificates}, {@code trust-store},
 * {@code trust-store-password}, {@code trust-store-type} (see {@code conf/README.md}). Neither set means
 * the JVM's default trust, or whatever default the leg documents.
 *
 * @param certificates  a PEM file of certificates to trust (a self-signed peer or a private CA), or {@code null}
 * @param store         a PKCS12 or JKS key store of certificates to trust, or {@code null}
 * @param storePassword its password, {@code null} when it has none
 * @param storeType     {@code PKCS12} or {@code JKS}
 */
public record TrustSettings(String certificates, String store, Secret storePassword, String storeType) {

    /** Nothing configured: the default trust. */
    public static final TrustSettings DEFAULT = new TrustSettings(null, null, null, "PKCS12");

    /**
     * Checks the keys of a section and builds the record. Files are read (and checked) when the adapter starts.
     *
     * @param prefix where the keys sit, e.g. {@code tls.} or empty; named in messages
     * @throws IllegalArgumentException naming the key and the fix
     */
    public static TrustSettings of(String prefix, String certificates, String store, Secret storePassword, String storeType) {
        String s = Check.blankToNull(store);
        if (storePassword != null && s == null) {
            throw new IllegalArgumentException(prefix + "trust-store-password is set but " + prefix + "trust-store is not; add "
                    + prefix + "trust-store: path/to/store.p12");
        }
        return new TrustSettings(Check.blankToNull(certificates), s, storePassword,
                KeyStoreSettings.storeType(prefix + "trust-store-type", storeType));
    }

    /** Whether anything is configured; if not, the default trust applies. */
    public boolean configured() {
        return certificates != null || store != null;
    }

    /** The store password as the JDK's key store API wants it; {@code null} when there is none. */
    public char[] storePasswordChars() {
        return storePassword == null ? null : storePassword.reveal().toCharArray();
    }
}
