package org.sigbridge.web.session;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Frame;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.OpCode;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.UpgradeRefusal;
import org.sigbridge.web.WebStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty side of one WebSocket: hands text messages to its {@link WebSession} and asks for the next frame only
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
    private final int maxMessageBytes;
    private final TextAssembler text;
    private String address;
    private boolean counted;
    /** Between a fragmented TEXT frame and its final CONTINUATION. */
    private boolean inText;

    /**
     * @param sessionFactory builds the {@link WebSession} for this listener once the socket is open
     * @param joinOnOpen     the {@code ?channel=} of the upgrade URL, or {@code null}
     * @param maxMessageBytes largest text message, fragments included ({@code max-frame-bytes}); larger closes with 1009
     */
    public SocketListener(SessionRegistry registry, WebStats stats, Function<SocketListener, WebSession> sessionFactory,
                          String joinOnOpen, int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
        this.text = new TextAssembler(maxMessageBytes);
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

    /**
     * Every frame comes here (Jetty then runs none of its own message aggregation): text messages go through
     * {@link TextAssembler}, pings are answered, binary frames are refused. Demand is renewed after each frame,
     * except after one that closes the socket.
     */
    @Override
    public void onWebSocketFrame(Frame frame, Callback callback) {
        boolean more = true;
        switch (frame.getType()) {
            case TEXT, CONTINUATION -> more = onTextFrame(frame);
            case BINARY -> onBinaryFrame(frame);
            case PING -> session.sendPong(frame.getPayload() == null ? ByteBuffer.allocate(0) : copy(frame.getPayload()), Callback.NOOP);
            case PONG, CLOSE -> {
                // a pong answers our keep-alive ping; Jetty answers a close frame by itself
            }
        }
        callback.succeed();
        if (more && frame.getType() != Frame.Type.CLOSE) {
            session.demand();
        }
    }

    private boolean onTextFrame(Frame frame) {
        boolean first = frame.getType() == Frame.Type.TEXT;
        if (!first && !inText) {
            return true; // the continuation of a binary message, already refused
        }
        inText = !frame.isFin();
        TextAssembler.Outcome outcome = text.accept(frame.getPayload(), first, frame.isFin());
        if (outcome instanceof TextAssembler.Message m) {
            WebSession w = web;
            if (w != null) {
                w.onText(m.text());
            }
        } else if (outcome instanceof TextAssembler.TooLarge tooLarge) {
            stats.countBadFrame();
            close(CloseCodes.MESSAGE_TOO_BIG, "message of " + tooLarge.bytes() + " bytes; max-frame-bytes is " + maxMessageBytes);
            return false;
        } else if (outcome instanceof TextAssembler.NotUtf8) {
            stats.countBadFrame();
            close(CloseCodes.BAD_PAYLOAD, "text message is not valid UTF-8");
            return false;
        }
        return true;
    }

    private void onBinaryFrame(Frame frame) {
        inText = false;
        if (frame.isFin()) {
            WebSession w = web;
            if (w != null) {
                w.onBinary();
            }
        }
    }

    private static ByteBuffer copy(ByteBuffer payload) {
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(payload.duplicate()).flip();
        return copy;
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
    public void send(List<ByteBuffer> frames, Completion done) {
        // Jetty's API session only sends strings; its core session sends the bytes we already have (encoded once per
        // envelope, shared by every recipient). Handing Jetty the whole batch before any completes lets its flusher
        // gather them into one write.
        CoreSession core = ((WebSocketSession) session).getCoreSession();
        BatchWritten written = new BatchWritten(frames.size(), done);
        for (ByteBuffer frame : frames) {
            core.sendFrame(new org.eclipse.jetty.websocket.core.Frame(OpCode.TEXT, frame), written, false);
        }
    }

    /**
     * Completes a batch once every frame of it is written, or at the first failure. Non-blocking: completing only
     * pumps the outbound queue, so Jetty may run it on the thread that finished the write.
     */
    private final class BatchWritten implements org.eclipse.jetty.util.Callback {
        private final AtomicInteger left;
        private final int frames;
        private final Completion done;

        BatchWritten(int frames, Completion done) {
            this.left = new AtomicInteger(frames);
            this.frames = frames;
            this.done = done;
        }

        @Override
        public void succeeded() {
            if (left.decrementAndGet() == 0) {
                stats.countFramesOut(frames);
                done.succeeded();
            }
        }

        @Override
        public void failed(Throwable cause) {
            if (left.getAndSet(-1) > 0) {
                done.failed(cause);
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
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
