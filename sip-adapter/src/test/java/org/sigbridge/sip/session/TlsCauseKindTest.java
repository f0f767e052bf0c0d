package org.sigbridge.sip.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The one-line causes {@link TlsPeers#causeOf} gives for the ways JAIN-SIP reports a TLS failure, and which of them
 * {@link TlsPeers#sameKind} treats as one failure (so a refused handshake does not make the leg's state flap between
 * its two readings).
 */
class TlsCauseKindTest {

    private static final String PEER = "127.0.0.1:5061";

    @Test
    void aRefusedHandshakeReadsTheSameKindWhetherTheAlertOrTheClosedSocketArrives() {
        String alert = TlsPeers.causeOf(new IOException("send failed", new SSLException("Received fatal alert: handshake_failure")), PEER)
                .orElseThrow();
        String closed = TlsPeers.causeOf(new IOException("cannot send", new SocketException("Socket is closed")), PEER).orElseThrow();

        assertTrue(alert.startsWith("the TLS handshake with " + PEER + " failed (Received fatal alert: handshake_failure)"), alert);
        assertTrue(closed.startsWith("the TLS handshake with " + PEER + " failed (the peer ended the connection)"), closed);
        assertTrue(TlsPeers.sameKind(alert, closed));
        assertTrue(TlsPeers.sameKind(closed, alert));
    }

    @Test
    void anUntrustedCertificateOrAnotherPeerIsAnotherKind() {
        SSLHandshakeException pkix = new SSLHandshakeException("PKIX path building failed");
        pkix.initCause(new CertificateException("unable to find valid certification path"));
        String untrusted = TlsPeers.causeOf(pkix, PEER).orElseThrow();
        String refused = TlsPeers.causeOf(new SSLException("Received fatal alert: handshake_failure"), PEER).orElseThrow();
        String elsewhere = TlsPeers.causeOf(new SSLException("Received fatal alert: handshake_failure"), "127.0.0.1:5062").orElseThrow();

        assertTrue(untrusted.startsWith("the certificate of TLS peer " + PEER + " is not trusted"), untrusted);
        assertFalse(TlsPeers.sameKind(untrusted, refused));
        assertFalse(TlsPeers.sameKind(refused, elsewhere));
    }

    @Test
    void aConnectionThatIsRefusedIsNoTlsMatter() {
        assertEquals(java.util.Optional.empty(), TlsPeers.causeOf(new IOException("Could not connect to /127.0.0.1:5061"), PEER));
    }
}
