package org.sigbridge.testkit.peers;

import java.nio.file.Path;

import javax.net.ssl.X509TrustManager;

/**
 * What a test needs to know of a running loopback XMPP test server (Prosody or ejabberd) to point a bridge
 * or a native client at it: c2s port on 127.0.0.1, the user domain, the MUC service, the one password every
 * test user has, and the self-signed certificate offered on STARTTLS.
 *
 * <p>Implementations are owned by one test class; the accessors are thread-safe and do not block.
 */
public interface XmppServer {

    /** The c2s port on 127.0.0.1 (plain TCP; STARTTLS offered). */
    int port();

    /** The user domain, e.g. {@code localhost}. */
    String domain();

    /** The MUC service (XEP-0045), e.g. {@code conference.localhost}. */
    String mucService();

    /** The password of every user the server was started with. */
    String password();

    /** PEM certificate the server offers on STARTTLS. */
    Path certificateFile();

    /** A trust manager trusting exactly {@link #certificateFile()}; for Smack's setCustomX509TrustManager. */
    X509TrustManager trustManager();
}
