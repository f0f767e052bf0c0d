package org.sigbridge.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link KeyStoreSettings} and {@link TrustSettings}: the one TLS shape of every leg. */
class TlsShapeTest {

    @TempDir
    Path dir;

    @Test
    void aKeyStoreMustBeAReadableFileOfAKnownType() throws Exception {
        Path store = Files.writeString(dir.resolve("tls.p12"), "not really");
        KeyStoreSettings ks = KeyStoreSettings.of("tls.", store.toString(), Secret.of("pw"), null);
        assertEquals("PKCS12", ks.type());
        assertArrayEquals("pw".toCharArray(), ks.passwordChars());
        assertEquals("JKS", KeyStoreSettings.of("tls.", store.toString(), null, "jks").type());
        assertNull(KeyStoreSettings.of("tls.", store.toString(), null, "").passwordChars());

        assertEquals("tls.key-store '" + dir.resolve("none.p12") + "' is not a readable file; fix the path",
                assertThrows(IllegalArgumentException.class,
                        () -> KeyStoreSettings.of("tls.", dir.resolve("none.p12").toString(), null, null)).getMessage());
        assertEquals("tls.key-store-type must be PKCS12 or JKS, not PEM",
                assertThrows(IllegalArgumentException.class, () -> KeyStoreSettings.of("tls.", store.toString(), null, "PEM")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyStoreSettings.of("tls.", " ", null, null))
                .getMessage().startsWith("tls.key-store is required"));
    }

    @Test
    void trustWithoutFilesIsTheDefaultAndAPasswordNeedsAStore() {
        TrustSettings none = TrustSettings.of("", " ", null, null, null);
        assertFalse(none.configured());
        assertEquals(TrustSettings.DEFAULT, none);
        TrustSettings pem = TrustSettings.of("", "/etc/ca.pem", null, null, null);
        assertTrue(pem.configured());
        assertEquals("trust-store-password is set but trust-store is not; add trust-store: path/to/store.p12",
                assertThrows(IllegalArgumentException.class, () -> TrustSettings.of("", null, null, Secret.of("x"), null)).getMessage());
        assertEquals("tls.trust-store-type must be PKCS12 or JKS, not X",
                assertThrows(IllegalArgumentException.class, () -> TrustSettings.of("tls.", null, "t.p12", null, "X")).getMessage());
    }
}
