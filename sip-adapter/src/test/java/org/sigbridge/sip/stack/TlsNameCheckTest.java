package org.sigbridge.sip.stack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which hosts a certificate names for the SIP TLS name check (RFC 5922 §7.2), on certificates made by openssl. */
class TlsNameCheckTest {

    @TempDir
    Path dir;

    @Test
    void aDnsNameMatchesThatHostOnlyIgnoringCase() throws Exception {
        X509Certificate c = cert("/CN=ignored.example", "DNS:sip.example.org");
        assertTrue(TlsNameCheck.names(c, "sip.example.org"));
        assertTrue(TlsNameCheck.names(c, "SIP.Example.org"));
        assertFalse(TlsNameCheck.names(c, "other.example.org"));
        assertFalse(TlsNameCheck.names(c, "ignored.example"), "the CN does not count when there is a subjectAltName");
    }

    @Test
    void aWildcardDoesNotMatch() throws Exception {
        X509Certificate c = cert("/CN=x", "DNS:*.example.org");
        assertFalse(TlsNameCheck.names(c, "sip.example.org"));
    }

    @Test
    void aSipUriNamesItsDomain() throws Exception {
        X509Certificate c = cert("/CN=x", "URI:sip:example.org");
        assertTrue(TlsNameCheck.names(c, "example.org"));
        assertFalse(TlsNameCheck.names(c, "sip.example.org"));
    }

    @Test
    void anIpLiteralNeedsAnIpAddressEntry() throws Exception {
        X509Certificate c = cert("/CN=127.0.0.1", "DNS:localhost,IP:127.0.0.1,IP:::1");
        assertTrue(TlsNameCheck.names(c, "127.0.0.1"));
        assertTrue(TlsNameCheck.names(c, "[::1]"));
        assertFalse(TlsNameCheck.names(c, "127.0.0.2"));
        assertFalse(TlsNameCheck.names(cert("/CN=127.0.0.1", "DNS:127.0.0.1"), "127.0.0.1"), "a DNS entry is not an address");
    }

    @Test
    void withoutSubjectAltNameTheCommonNameIsTheName() throws Exception {
        X509Certificate c = cert("/CN=sip.example.org", null);
        assertTrue(TlsNameCheck.names(c, "sip.example.org"));
        assertFalse(TlsNameCheck.names(c, "example.org"));
    }

    private X509Certificate cert(String subject, String san) throws Exception {
        Path out = dir.resolve("c" + System.nanoTime() + ".pem");
        List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", dir.resolve("k.pem").toString(), "-out", out.toString(),
                "-days", "2", "-subj", subject));
        if (san != null) {
            command.addAll(List.of("-addext", "subjectAltName=" + san));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, output);
        try (InputStream in = Files.newInputStream(out)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
