package org.sigbridge.testkit.peers;

import java.net.InetAddress;

import javax.net.ssl.X509TrustManager;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/** Smack 4.4 connections to a {@link ProsodyServer}, always to 127.0.0.1 (no DNS SRV lookup). */
public final class XmppTestClients {
    private XmppTestClients() {
    }

    public static XMPPTCPConnection plain(ProsodyServer server, String user) throws Exception {
        return connect(base(server, server.domain()).setUsernameAndPassword(user, ProsodyServer.PASSWORD)
                .setSecurityMode(SecurityMode.disabled).build());
    }

    public static XMPPTCPConnection tls(ProsodyServer server, String user, X509TrustManager trust) throws Exception {
        return connect(base(server, server.domain()).setUsernameAndPassword(user, ProsodyServer.PASSWORD)
                .setSecurityMode(SecurityMode.required).setCustomX509TrustManager(trust).build());
    }

    public static XMPPTCPConnection anonymous(ProsodyServer server) throws Exception {
        return connect(base(server, server.anonymousDomain()).performSaslAnonymousAuthentication()
                .setSecurityMode(SecurityMode.disabled).build());
    }

    private static XMPPTCPConnectionConfiguration.Builder base(ProsodyServer server, String domain) throws Exception {
        return XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(domain)
                .setHostAddress(InetAddress.getByName("127.0.0.1"))
                .setPort(server.port())
                .setConnectTimeout(5000);
    }

    private static XMPPTCPConnection connect(XMPPTCPConnectionConfiguration config) throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(config);
        connection.setReplyTimeout(5000);
        connection.connect().login();
        return connection;
    }
}
