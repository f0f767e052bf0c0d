package org.sigbridge.xmpp.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.SocketFactory;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * Sockets that speak TLS from the first byte, for {@code tls: direct} (XEP-0368): Smack's
 * {@code XMPPTCPConnection} gets one as its configuration's socket factory, connects it, and writes its XML stream
 * into it as into a plain socket.
 *
 * <p>{@link Socket#connect(SocketAddress, int)} opens the TCP connection, then completes the TLS handshake before it
 * returns (bounded by {@code handshakeTimeout}): SNI names the XMPP domain and ALPN offers {@code xmpp-client}
 * (XEP-0368 §3); the server's certificate is judged by the SSL context's trust manager (the attempt's
 * {@link CertificateWitness}), and then its name by {@code verifier} against the XMPP domain, as Smack checks it after
 * STARTTLS (its {@code XmppHostnameVerifier}, RFC 6125, RFC 6120 §13.7.2.1). Smack does neither for a socket it did not
 * secure itself. A failed name check throws an {@link SSLPeerUnverifiedException} whose cause is a
 * {@link CertificateException} worded as Smack's ("Hostname verification of certificate failed…"), so that
 * {@link LoginFailure} tells both modes' refusals alike.
 *
 * <p>What Smack 4.4 asks of the socket (docs/library-assumptions.md#smack-direct-tls): {@code createSocket()},
 * {@code connect(address, timeout)} on one of its threads, {@code getInputStream()}, {@code getOutputStream()},
 * {@code close()} and {@code isClosed()}; those and the address getters are delegated. Immutable; one per connection
 * attempt (its SSL context holds that attempt's witness).
 */
final class DirectTlsSocketFactory extends SocketFactory {

    /** ALPN protocol name for client-to-server XMPP over direct TLS (XEP-0368 §3). */
    static final String ALPN = "xmpp-client";

    private final SSLContext context;
    private final String domain;
    private final HostnameVerifier verifier;
    private final int handshakeTimeoutMillis;

    /**
     * @param domain           the XMPP domain in its ASCII form: the SNI name and the name the certificate must carry
     * @param handshakeTimeout bound for the TLS handshake after the TCP connect
     */
    DirectTlsSocketFactory(SSLContext context, String domain, HostnameVerifier verifier, Duration handshakeTimeout) {
        this.context = Objects.requireNonNull(context, "context");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.handshakeTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, handshakeTimeout.toMillis());
    }

    /** An unconnected socket; {@link Socket#connect(SocketAddress, int)} connects and secures it. */
    @Override
    public Socket createSocket() {
        return new DirectTlsSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port));
    }

    private Socket connected(SocketAddress address) throws IOException {
        Socket socket = createSocket();
        socket.connect(address, handshakeTimeoutMillis);
        return socket;
    }

    /** TLS over {@code tcp}, handshaken and name-checked; closes {@code tcp} when it fails. */
    private SSLSocket secure(Socket tcp) throws IOException {
        SSLSocket tls = null;
        try {
            tls = (SSLSocket) context.getSocketFactory().createSocket(tcp, domain, tcp.getPort(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(domain)));
            parameters.setApplicationProtocols(new String[] {ALPN});
            tls.setSSLParameters(parameters);
            int before = tcp.getSoTimeout();
            tcp.setSoTimeout(handshakeTimeoutMillis); // a server that accepts but never answers must not hang us
            tls.startHandshake();
            tcp.setSoTimeout(before);
            if (!verifier.verify(domain, tls.getSession())) {
                SSLPeerUnverifiedException e = new SSLPeerUnverifiedException("the certificate does not name " + domain);
                e.initCause(new CertificateException("Hostname verification of certificate failed. Certificate does not"
                        + " authenticate " + domain));
                throw e;
            }
            return tls;
        } catch (IOException | RuntimeException e) {
            if (tls != null) {
                tls.close();
            }
            tcp.close();
            throw e;
        }
    }

    /** A socket shell around the TCP socket and the TLS socket layered over it once connected. */
    private final class DirectTlsSocket extends Socket {
        private final Socket tcp = new Socket();
        private volatile SSLSocket tls;

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            tcp.connect(endpoint, timeout);
            tls = secure(tcp);
        }

        @Override
        public void connect(SocketAddress endpoint) throws IOException {
            connect(endpoint, handshakeTimeoutMillis);
        }

        private SSLSocket tls() throws SocketException {
            SSLSocket s = tls;
            if (s == null) {
                throw new SocketException("not connected");
            }
            return s;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return tls().getInputStream();
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return tls().getOutputStream();
        }

        @Override
        public synchronized void close() throws IOException {
            SSLSocket s = tls;
            try {
                if (s != null) {
                    s.close();
                }
            } finally {
                tcp.close();
                super.close();
            }
        }

        @Override
        public boolean isClosed() {
            return tcp.isClosed();
        }

        @Override
        public boolean isConnected() {
            return tls != null && tcp.isConnected();
        }

        @Override
        public InetAddress getInetAddress() {
            return tcp.getInetAddress();
        }

        @Override
        public int getPort() {
            return tcp.getPort();
        }

        @Override
        public InetAddress getLocalAddress() {
            return tcp.getLocalAddress();
        }

        @Override
        public int getLocalPort() {
            return tcp.getLocalPort();
        }

        @Override
        public SocketAddress getRemoteSocketAddress() {
            return tcp.getRemoteSocketAddress();
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return tcp.getLocalSocketAddress();
        }

        @Override
        public synchronized void setSoTimeout(int timeout) throws SocketException {
            tcp.setSoTimeout(timeout);
        }

        @Override
        public synchronized int getSoTimeout() throws SocketException {
            return tcp.getSoTimeout();
        }

        @Override
        public void setTcpNoDelay(boolean on) throws SocketException {
            tcp.setTcpNoDelay(on);
        }

        @Override
        public void setKeepAlive(boolean on) throws SocketException {
            tcp.setKeepAlive(on);
        }

        @Override
        public String toString() {
            return "DirectTlsSocket[" + tcp + "]";
        }
    }
}
