package org.sigbridge.sip;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sigbridge.config.Secret;

/**
 * The optional {@code tls:} sub-section of a SIP adapter: a TLS listening point next to UDP and TCP.
 *
 * @param port               the TLS port on {@code listen-host}, e.g. 5061; required
 * @param keyStore           a PKCS12 or JKS key store with the bridge's certificate; required
 * @param keyStorePassword   its password
 * @param keyStoreType       {@code PKCS12} (default) or {@code JKS}
 * @param trustStore         the trust store for peers' certificates; default: the key store
 * @param trustStorePassword its password; default: the key store password
 */
public record TlsSettings(Integer port, String keyStore,
                          @JsonDeserialize(using = OptionalSecretDeserializer.class) Secret keyStorePassword,
                          String keyStoreType, String trustStore,
                          @JsonDeserialize(using = OptionalSecretDeserializer.class) Secret trustStorePassword) {

    public TlsSettings {
        if (port == null || port < 1 || port > 65535) {
            throw new IllegalArgumentException("tls.port must be a port number 1-65535, e.g. 5061");
        }
        if (keyStore == null || keyStore.isBlank()) {
            throw new IllegalArgumentException("tls.key-store is required: a PKCS12 file holding the bridge's certificate and key");
        }
        if (!Files.isReadable(Path.of(keyStore))) {
            throw new IllegalArgumentException("tls.key-store '" + keyStore + "' is not a readable file; fix the path");
        }
        keyStoreType = keyStoreType == null || keyStoreType.isBlank() ? "PKCS12" : keyStoreType;
        trustStore = trustStore == null || trustStore.isBlank() ? keyStore : trustStore;
        trustStorePassword = trustStorePassword == null ? keyStorePassword : trustStorePassword;
    }
}
