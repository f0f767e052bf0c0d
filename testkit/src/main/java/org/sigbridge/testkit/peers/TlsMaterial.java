package org.sigbridge.testkit.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Test certificates made with {@code openssl} in a private scratch directory: certificate authorities, leaf
 * certificates they issue or self-signed ones, each for the names a test gives (subjectAltName entries such as
 * {@code DNS:localhost} or {@code IP:127.0.0.1}, RFC 5280 §4.2.1.6), and PKCS12 key and trust stores for them, all
 * with the password {@value #PASSWORD}. Keys are EC P-256, valid for 2 days. PEM files are what Kamailio's tls module
 * reads; the stores are what a bridge's {@code tls} settings name.
 *
 * <p>Owned by the test thread; every method blocks for openssl (about 50 ms each). {@link #close()} deletes the
 * directory and everything in it; idempotent.
 */
public final class TlsMaterial implements AutoCloseable {

    /** The password of every key and trust store made here. */
    public static final String PASSWORD = "changeit";

    private static final Duration OPENSSL = Duration.ofSeconds(30);
    private static final List<String> EC_KEY = List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes");

    private final ScratchDir dir;

    private TlsMaterial(ScratchDir dir) {
        this.dir = dir;
    }

    /** A new, empty directory named {@code prefix} plus a random suffix in the system temp directory. */
    public static TlsMaterial create(String prefix) {
        return new TlsMaterial(ScratchDir.create(prefix));
    }

    /** A certificate in PEM and its unencrypted private key in PEM, both in this material's directory. */
    public record Pem(Path certificate, Path key) {
        /** Copies both files over {@code target}'s: a peer restarted with its files replaced presents this one. */
        public void copyOver(Pem target) {
            try {
                Files.copy(certificate, target.certificate(), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(key, target.key(), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + this + " over " + target, e);
            }
        }
    }

    /** The directory; deleted by {@link #close()}. */
    public Path dir() {
        return dir.path();
    }

    /** A self-signed CA {@code NAME.pem} / {@code NAME.key} with the common name {@code sigbridge test NAME}. */
    public Pem authority(String name) {
        Pem ca = pem(name);
        openssl(concat(List.of("req", "-x509"), EC_KEY, List.of("-keyout", ca.key().toString(), "-out", ca.certificate().toString(),
                "-days", "2", "-subj", "/CN=sigbridge test " + name)));
        return ca;
    }

    /**
     * A leaf certificate {@code NAME.pem} / {@code NAME.key} with common name {@code commonName} and the subjectAltName
     * entries {@code altNames} (none: no subjectAltName), issued by {@code ca}.
     */
    public Pem issue(Pem ca, String name, String commonName, String... altNames) {
        Pem leaf = pem(name);
        Path csr = dir.resolve(name + ".csr");
        openssl(concat(List.of("req"), EC_KEY, List.of("-keyout", leaf.key().toString(), "-out", csr.toString(),
                "-subj", "/CN=" + commonName)));
        List<String> sign = new ArrayList<>(List.of("x509", "-req", "-in", csr.toString(), "-CA", ca.certificate().toString(),
                "-CAkey", ca.key().toString(), "-CAcreateserial", "-out", leaf.certificate().toString(), "-days", "2"));
        if (altNames.length > 0) {
            Path ext = dir.resolve(name + ".ext");
            write(ext, "subjectAltName=" + String.join(",", altNames) + "\n");
            sign.addAll(List.of("-extfile", ext.toString()));
        }
        openssl(sign);
        return leaf;
    }

    /** A self-signed leaf certificate {@code NAME.pem} / {@code NAME.key}, as {@link #issue} but issued by no CA. */
    public Pem selfSigned(String name, String commonName, String... altNames) {
        Pem leaf = pem(name);
        List<String> command = concat(List.of("req", "-x509"), EC_KEY, List.of("-keyout", leaf.key().toString(),
                "-out", leaf.certificate().toString(), "-days", "2", "-subj", "/CN=" + commonName));
        if (altNames.length > 0) {
            command.addAll(List.of("-addext", "subjectAltName=" + String.join(",", altNames)));
        }
        openssl(command);
        return leaf;
    }

    /** A PKCS12 key store {@code NAME.p12} holding {@code leaf}'s key and certificate; password {@value #PASSWORD}. */
    public Path keyStore(String name, Pem leaf) {
        Path store = dir.resolve(name + ".p12");
        openssl(List.of("pkcs12", "-export", "-inkey", leaf.key().toString(), "-in", leaf.certificate().toString(),
                "-out", store.toString(), "-passout", "pass:" + PASSWORD));
        return store;
    }

    /** A PKCS12 trust store {@code NAME.p12} trusting exactly {@code trusted}; password {@value #PASSWORD}. */
    public Path trustStore(String name, Pem... trusted) {
        Path store = dir.resolve(name + ".p12");
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (int i = 0; i < trusted.length; i++) {
                try (InputStream in = Files.newInputStream(trusted[i].certificate())) {
                    trust.setCertificateEntry("test-ca-" + i, x509.generateCertificate(in));
                }
            }
            try (OutputStream out = Files.newOutputStream(store)) {
                trust.store(out, PASSWORD.toCharArray());
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new PeerException("cannot write the trust store " + store, e);
        }
    }

    /** Deletes the directory with everything in it; idempotent. */
    @Override
    public void close() {
        dir.close();
    }

    private Pem pem(String name) {
        return new Pem(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }

    private void openssl(List<String> args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(args);
        ShortCommand.run(command, dir.path(), OPENSSL);
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
