package org.sigbridge.interop.sip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.UnaryOperator;
import org.sigbridge.testkit.peers.KamailioServer;
import org.sigbridge.testkit.peers.TlsMaterial;

/**
 * What the SIP-over-TLS interop tests share: their certificates and stores ({@link TlsMaterial}), the Kamailio
 * instances that present them, the {@code tls} section of a bridge's sip adapter that names them, and the peers and
 * bridges to stop, in reverse order of start, before the certificates are deleted. Owned by the test class
 * ({@code @BeforeAll} creates it, {@code @AfterAll} closes it); not thread-safe.
 */
final class TlsFixture implements AutoCloseable {

    private final TlsMaterial material;
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();

    private TlsFixture(TlsMaterial material) {
        this.material = material;
    }

    /** A fixture whose files live in a new scratch directory named {@code prefix} plus a random suffix. */
    static TlsFixture create(String prefix) {
        return new TlsFixture(TlsMaterial.create(prefix));
    }

    TlsMaterial material() {
        return material;
    }

    /** Makes {@code closeable} (a peer, a bridge, a user agent) this fixture's to close; returns it. */
    <T extends AutoCloseable> T own(T closeable) {
        owned.push(closeable);
        return closeable;
    }

    /** Starts (and owns) a Kamailio whose tls module presents {@code certificate}, with {@code options} applied. */
    KamailioServer kamailio(TlsMaterial.Pem certificate, UnaryOperator<KamailioServer.Builder> options) {
        return own(options.apply(KamailioServer.builder().tls(certificate.certificate(), certificate.key())).start());
    }

    /** Starts (and owns) a Kamailio whose tls module presents {@code certificate}. */
    KamailioServer kamailio(TlsMaterial.Pem certificate) {
        return kamailio(certificate, UnaryOperator.identity());
    }

    /**
     * The {@code tls} section of a sip adapter (conf/reference/sip.md), indented to sit under {@code sip:} in the
     * tests' YAML (the adapter's keys at four spaces): listening on {@code port}, presenting {@code keyStore}, trusting
     * {@code trustStore}.
     */
    static String bridgeTls(int port, Path keyStore, Path trustStore) {
        return """
                    tls:
                      port: %d
                      key-store: %s
                      key-store-password: %s
                      trust-store: %s
                      trust-store-password: %s
                """.formatted(port, keyStore, TlsMaterial.PASSWORD, trustStore, TlsMaterial.PASSWORD);
    }

    /** Kamailio's log so far (every request it received is logged as {@code REQ <method> ...}). */
    static String log(KamailioServer server) throws IOException {
        return Files.readString(server.directory().resolve("kamailio.log"));
    }

    /** Stops what it owns, last started first (a failure is printed, the rest still closed), then deletes the files. */
    @Override
    public void close() {
        while (!owned.isEmpty()) {
            AutoCloseable c = owned.pop();
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
        }
        material.close();
    }
}
