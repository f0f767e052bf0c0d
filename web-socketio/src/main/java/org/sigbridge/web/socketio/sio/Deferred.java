package org.sigbridge.web.socketio.sio;

import java.util.function.Supplier;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.socketio.sio.codec.SioPacket;

/**
 * A namespace socket whose CONNECT waits for its recovery session to be claimed from the cluster
 * ({@link RecoverySessions#claim}, docs/design.md §3.8): it stands in the connection's socket map until
 * {@link #start} connects the real member on the claim's thread. An event before that is ignored and counted (a
 * socket.io client emits nothing before its CONNECT is answered); a disconnect before that means the real member is
 * never connected. Thread-safe: {@link #start} and the session reader's calls are serialised on this object.
 */
final class Deferred implements SocketFamily.Member {

    private final WebStats stats;
    private SocketFamily.Member real;
    private boolean gone;

    Deferred(WebStats stats) {
        this.stats = stats;
    }

    /** Connects the real member, unless the socket is gone already; answers it, or {@code null} when gone. */
    synchronized SocketFamily.Member start(Supplier<SocketFamily.Member> connect) {
        if (gone) {
            return null;
        }
        real = connect.get();
        return real;
    }

    @Override
    public void onEvent(SioPacket event) {
        SocketFamily.Member m;
        synchronized (this) {
            m = real;
        }
        if (m == null) {
            stats.countIgnoredFrame();
        } else {
            m.onEvent(event);
        }
    }

    @Override
    public synchronized void onDisconnect() {
        gone = true;
        if (real != null) {
            real.onDisconnect();
        }
    }

    @Override
    public synchronized void onTransportClosed() {
        gone = true;
        if (real != null) {
            real.onTransportClosed();
        }
    }
}
