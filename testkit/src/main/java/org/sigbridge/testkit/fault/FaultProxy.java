package org.sigbridge.testkit.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.sigbridge.testkit.peers.FreePorts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on 127.0.0.1 in front of one target, for injecting network faults between the bridge and a real
 * peer. {@link #stall()} stops forwarding on every connection, existing and new, both ways, until
 * {@link #resume()}: bytes wait in the proxy's 16 KiB buffer per direction and then in the kernel's socket buffers,
 * as behind a cut that TCP survives (new connections are accepted but carry nothing, where a real cut would leave
 * the handshake unanswered). {@link #reset()} closes every connection at once, as a middlebox dropping its state.
 *
 * <p>Two daemon threads per connection ({@code fault-proxy-PORT-…}) and one accepting; all end at {@link #close()}.
 * Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);
    private static final int BUFFER_BYTES = 16 * 1024;

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private final AtomicInteger accepted = new AtomicInteger();
    private boolean stalled; // guarded by gate
    private volatile boolean closed;

    private FaultProxy(InetSocketAddress target, ServerSocket server) {
        this.target = target;
        this.server = server;
    }

    /** Starts forwarding a free loopback port to {@code targetHost:targetPort}. */
    public static FaultProxy start(String targetHost, int targetPort) throws IOException {
        ServerSocket server = new ServerSocket(FreePorts.tcpAndUdp(), 50, InetAddress.getLoopbackAddress());
        FaultProxy proxy = new FaultProxy(new InetSocketAddress(targetHost, targetPort), server);
        Thread t = new Thread(proxy::acceptLoop, "fault-proxy-" + server.getLocalPort() + "-accept");
        t.setDaemon(true);
        t.start();
        return proxy;
    }

    /** The port to connect to instead of the target's. */
    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Stops forwarding on every connection until {@link #resume()}. */
    public void stall() {
        synchronized (gate) {
            stalled = true;
        }
        LOG.info("fault proxy {} -> {}: stalled", port(), target);
    }

    /** Forwards again what waited. */
    public void resume() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
        LOG.info("fault proxy {} -> {}: resumed", port(), target);
    }

    /** Closes every open connection (both sides see the connection end); new ones are accepted as before. */
    public void reset() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        LOG.info("fault proxy {} -> {}: reset every connection", port(), target);
    }

    @Override
    public void close() {
        closed = true;
        resume();
        closeQuietly(server);
        reset();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 5_000);
                } catch (IOException e) {
                    LOG.info("fault proxy {}: target {} refused: {}", port(), target, e.toString());
                    closeQuietly(client);
                    continue;
                }
                int n = accepted.incrementAndGet();
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, "fault-proxy-" + port() + "-" + n + "-up");
                pump(upstream, client, "fault-proxy-" + port() + "-" + n + "-down");
            } catch (IOException e) {
                if (!closed) {
                    LOG.info("fault proxy {}: accept failed: {}", port(), e.toString());
                }
            }
        }
    }

    private void pump(Socket from, Socket to, String name) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[BUFFER_BYTES];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    awaitOpen();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side or reset() closed it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (stalled && !closed) {
                gate.wait();
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }
}
