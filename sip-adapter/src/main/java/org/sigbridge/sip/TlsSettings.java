package org.sigbridge.sip;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import org.sigbridge.config.Check;
import org.sigbridge.config.KeyStoreSettings;
import org.sigbridge.config.OptionalSecret;
import org.sigbridge.config.Secret;
import org.sigbridge.config.TrustSettings;

/**
 * The optional {@code tls:} sub-section of a SIP adapter: a TLS listening point next to UDP and TCP. Its key
 * store and trust keys are spelled as in every section ({@link KeyStoreSettings}, {@link TrustSettings}).
 *
 * @param port               the TLS port on {@code listen-host}, e.g. 5061; required
 * @param keyStore           a PKCS12 or JKS key store with the bridge's certificate; required
 * @param keyStorePassword   its password
 * @param keyStoreType       {@code PKCS12} (default) or {@code JKS}
 * @param trustStore         the trust store for peers' certificates; default: the key store
 * @param trustStorePassword its password; default: the key store password
 */
public record TlsSettings(Integer port, String keyStore,
                          @JsonDeserialize(using = OptionalSecret.class) Secret keyStorePassword,
                          String keyStoreType, String trustStore,
                          @JsonDeserialize(using = OptionalSecret.class) Secret trustStorePassword) {

    public TlsSettings {
        if (port == null || port < 1 || port > 65535) {
            throw new IllegalArgumentException("tls.port must be a port number 1-65535, e.g. 5061");
        }
        KeyStoreSettings store = KeyStoreSettings.of("tls.", keyStore, keyStorePassword, keyStoreType);
        keyStore = store.path();
        keyStoreType = store.type();
        trustStore = Check.blankToNull(trustStore) == null ? keyStore : trustStore.trim();
        trustStorePassword = trustStorePassword == null ? keyStorePassword : trustStorePassword;
    }

    /** The bridge's certificate and key. */
    public KeyStoreSettings keyStoreSettings() {
        return new KeyStoreSettings(keyStore, keyStorePassword, keyStoreType);
    }

    /** The peers' certificates: the trust store, of the key store's type (JAIN-SIP reads both as one type). */
    public TrustSettings trust() {
        return new TrustSettings(null, trustStore, trustStorePassword, keyStoreType);
    }
}
