package org.sigbridge.testkit.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.testkit.junit.EjabberdExtension;

/** The testkit's ejabberd: users log in over plain TCP and over verified STARTTLS, and survive a restart. */
@Timeout(90)
class EjabberdServerTest {
    @RegisterExtension
    static final EjabberdExtension EJABBERD = new EjabberdExtension(b -> b.users("carol"));

    @Test
    void aRegisteredUserLogsInOverPlainTcpAndOverStartTlsTrustingTheServersCertificate() throws Exception {
        XMPPTCPConnection plain = connect(SecurityMode.disabled, "carol");
        assertTrue(plain.isAuthenticated());
        assertFalse(plain.isSecureConnection());
        plain.disconnect();
        XMPPTCPConnection tls = connect(SecurityMode.required, "alice");
        assertTrue(tls.isSecureConnection());
        tls.disconnect();
    }

    @Test
    void keepsPortAndUsersAcrossStopAndStart() throws Exception {
        EjabberdServer server = EJABBERD.server();
        int port = server.port();
        server.stop();
        assertFalse(server.isRunning());
        server.start();
        assertEquals(port, server.port());
        XMPPTCPConnection bob = connect(SecurityMode.disabled, "bob");
        assertTrue(bob.isAuthenticated());
        bob.disconnect();
    }

    private static XMPPTCPConnection connect(SecurityMode security, String user) throws Exception {
        EjabberdServer server = EJABBERD.server();
        XMPPTCPConnection connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(server.domain())
                .setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(server.port())
                .setSecurityMode(security)
                .setCustomX509TrustManager(server.trustManager())
                .setUsernameAndPassword(user, server.password())
                .build());
        connection.setReplyTimeout(5000);
        connection.connect().login();
        return connection;
    }
}
