package org.sigbridge.web.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.sigbridge.config.KeyStoreSettings;
import org.sigbridge.web.TlsSettings;

/**
 * Builds the web port's {@link SslContextFactory.Server}. Called once at start on the bridge's thread; reads the
 * files then. Every failure is one operator-facing line naming the file and the fix.
 */
public final class ServerTls {

    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private ServerTls() {
    }

    /**
     * @throws IllegalArgumentException with one line naming the file and the fix when a file cannot be used
     */
    public static SslContextFactory.Server contextFactory(TlsSettings tls) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        if (tls.pem()) {
            String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            factory.setKeyStore(pemKeyStore(Path.of(tls.certFile()), Path.of(tls.keyFile()), password.toCharArray()));
            factory.setKeyStorePassword(password);
            factory.setKeyManagerPassword(password);
        } else {
            KeyStoreSettings store = tls.keyStoreSettings();
            factory.setKeyStore(loadKeyStore(Path.of(store.path()), store.type(), store.passwordChars()));
            factory.setKeyStorePassword(store.password().reveal());
            factory.setKeyManagerPassword(store.password().reveal());
        }
        // Browsers and proxies reach the bridge by many names (IP, localhost, a public name): no SNI host check.
        factory.setSniRequired(false);
        return factory;
    }

    private static KeyStore pemKeyStore(Path certFile, Path keyFile, char[] password) {
        List<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(certFile)) {
            chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("tls.cert-file " + certFile + " is not a PEM certificate chain: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("tls.cert-file " + certFile + " holds no certificate");
        }
        PrivateKey key = readKey(keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("sigbridge", key, password, chain.toArray(new Certificate[0]));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("tls.key-file " + keyFile + " does not fit tls.cert-file " + certFile + ": " + e.getMessage());
        }
    }

    private static PrivateKey readKey(Path keyFile) {
        String pem;
        try {
            pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("tls.key-file " + keyFile + " cannot be read: " + e.getMessage());
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf("-----END PRIVATE KEY-----");
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("tls.key-file " + keyFile + " must be an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY); "
                    + "convert it with: openssl pkcs8 -topk8 -nocrypt -in " + keyFile + " -out key.pk8.pem");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisAlgorithm) {
                // try the next
            }
        }
        throw new IllegalArgumentException("tls.key-file " + keyFile + " holds a key that is not RSA, EC or EdDSA");
    }

    private static KeyStore loadKeyStore(Path file, String type, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("tls.key-store " + file + " cannot be opened as " + type + " with tls.key-store-password: "
                    + e.getMessage());
        }
    }
}
