package org.sigbridge.web.session;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.UpgradeRefusal;
import org.sigbridge.web.WebStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty side of one WebSocket: hands text frames to its {@link WebSession} and asks for the next frame only
 * afterwards (explicit demand: one frame at a time, and a slow hub slows the reader, not memory). Also the
 * session's {@link FrameSink} and {@link SocketControl}. Jetty types end here.
 *
 * <p>Called on Jetty threads. {@link #ping} is called by the adapter's timer.
 */
public final class SocketListener implements Session.Listener, FrameSink, SocketControl {

    private static final Logger log = LoggerFactory.getLogger(SocketListener.class);

    private final SessionRegistry registry;
    private final WebStats stats;
    private final Function<SocketListener, WebSession> sessionFactory;
    private final String joinOnOpen;
    private volatile Session session;
    private volatile WebSession web;
    private String address;
    private boolean counted;

    /**
     * @param sessionFactory builds the {@link WebSession} for this listener once the socket is open
     * @param joinOnOpen     the {@code ?channel=} of the upgrade URL, or {@code null}
     */
    public SocketListener(SessionRegistry registry, WebStats stats, Function<SocketListener, WebSession> sessionFactory,
                          String joinOnOpen) {
        this.registry = registry;
        this.stats = stats;
        this.sessionFactory = sessionFactory;
        this.joinOnOpen = joinOnOpen;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        this.address = s.getRemoteSocketAddress() instanceof InetSocketAddress isa ? isa.getAddress().getHostAddress() : "unknown";
        if (!registry.addresses().tryAcquire(address)) {
            // The upgrade gate's pre-check raced with another handshake from the same address.
            stats.countConnectionRefused(UpgradeRefusal.TOO_MANY_CONNECTIONS);
            stats.countError(ErrorCode.NOT_PERMITTED);
            s.close(CloseCodes.POLICY_VIOLATION, "too many connections from this address", Callback.NOOP);
            return;
        }
        counted = true;
        WebSession w = sessionFactory.apply(this);
        this.web = w;
        stats.countConnectionOpened();
        if (!registry.add(w, this)) {
            close(CloseCodes.GOING_AWAY, "the bridge is stopping");
            return;
        }
        if (joinOnOpen != null && !joinOnOpen.isEmpty()) {
            w.joinFromUrl(joinOnOpen);
        }
        s.demand();
    }

    @Override
    public void onWebSocketText(String text) {
        WebSession w = web;
        if (w != null) {
            w.onText(text);
        }
        session.demand();
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        WebSession w = web;
        if (w != null) {
            w.onBinary();
        }
        session.demand();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        session.sendPong(payload, Callback.NOOP);
        session.demand();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        session.demand();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("socket {} failed: {}", web == null ? "?" : web.id(), cause.toString());
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        WebSession w = web;
        if (w != null) {
            w.onClosed();
            registry.remove(w);
        }
        if (counted) {
            counted = false;
            registry.addresses().release(address);
        }
    }

    @Override
    public void send(List<String> frames, Completion done) {
        Session s = session;
        AtomicInteger left = new AtomicInteger(frames.size());
        Callback each = Callback.from(() -> {
            if (left.decrementAndGet() == 0) {
                stats.countFramesOut(frames.size());
                done.succeeded();
            }
        }, cause -> {
            if (left.getAndSet(-1) > 0) {
                done.failed(cause);
            }
        });
        // Handing Jetty the whole batch before any completes lets its flusher gather them into one write.
        for (String frame : frames) {
            s.sendText(frame, each);
        }
    }

    @Override
    public void close(int statusCode, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(statusCode, reason, Callback.NOOP);
        }
    }

    /** Sends a ping so that a live browser answers and the idle timeout does not fire. Timer thread. */
    public void ping() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        }
    }
}
