package org.sigbridge.sip.stack;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * JAIN-SIP's plain network layer with {@code TCP_NODELAY} on every TCP socket it makes or accepts
 * (JAIN-SIP RI 1.3 never sets it). Without it, Nagle's algorithm holds a second MESSAGE on the connection
 * to the proxy until the first one is acknowledged, and a proxy acknowledges with its response: every
 * conversation sharing the connection then waits for every other one's round trip (measured: each
 * request left within 10 µs of the previous response arriving). A SIP message is written in one call, so
 * turning Nagle off sends no more segments than needed. Named by {@code gov.nist.javax.sip.NETWORK_LAYER},
 * which JAIN-SIP instantiates with the no-argument constructor; only used without TLS (the TLS layer is
 * JAIN-SIP's own).
 */
public final class NoDelayNetworkLayer implements NetworkLayer {

    private final DefaultNetworkLayer plain = DefaultNetworkLayer.SINGLETON;

    public NoDelayNetworkLayer() {
        // instantiated by JAIN-SIP by name
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return new NoDelayServerSocket(port, backlog, bindAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return noDelay(plain.createSocket(address, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return noDelay(plain.createSocket(address, port, myAddress));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return noDelay(plain.createSocket(address, port, myAddress, myPort));
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return plain.createDatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress bindAddress) throws SocketException {
        return plain.createDatagramSocket(port, bindAddress);
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        throw new IOException("TLS is not served by this network layer");
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        throw new IOException("TLS is not served by this network layer");
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        throw new IOException("TLS is not served by this network layer");
    }

    @Override
    public void setSipStack(SipStackImpl sipStack) {
        // nothing to configure
    }

    private static Socket noDelay(Socket socket) throws SocketException {
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** A server socket whose accepted connections have {@code TCP_NODELAY}. */
    private static final class NoDelayServerSocket extends ServerSocket {

        NoDelayServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
            super(port, backlog, bindAddress);
        }

        @Override
        public Socket accept() throws IOException {
            return noDelay(super.accept());
        }
    }
}
