package org.sigbridge.web.session;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.UpgradeRefusal;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.loop.SharedOutput;
import org.sigbridge.web.spi.ConnectionHandler;
import org.sigbridge.web.spi.WebConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's WebSocket transport: one WebSocket as a {@link WebConnection}, on Jetty's core WebSocket API. Hands whole
 * text messages to its dialect's {@link ConnectionHandler} and asks for the next frame only afterwards (explicit
 * demand: one frame at a time, and a slow hub slows the reader, not memory). Owns the connection's
 * {@link OutboundQueue}, whose sink it is. Jetty types end here; every dialect's WebSockets use this class, so event
 * loops and corked writes ({@code web/loop}) serve them all.
 *
 * <p>Why the core API rather than Jetty's annotated/listener API: that layer aggregates every text message into a
 * new string builder, binds method handles and keeps a snapshot of the upgrade request for each socket; a signalling
 * relay needs none of it, and at 10,000 idle sockets it was a large part of the memory per connection
 * (docs/benchmarks.md). Here a socket costs a {@link CoreSession}, this object, its queue and its handler.
 *
 * <p>Called on Jetty threads, one frame at a time. {@link #ping} is called by the adapter's timer.
 */
public final class WebSocketConnection implements FrameHandler, WebConnection {

    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

    private final SessionRegistry registry;
    private final WebStats stats;
    /** Used once, when the socket opens; {@code null} after (what it captured is the handler's now). */
    private ConnectionHandler.Factory handlerFactory;
    private final Supplier<String> ids;
    private final int maxMessageBytes;
    private final TextAssembler text;
    private final OutboundQueue queue;
    private volatile CoreSession session;
    /**
     * Where data frames go encoded by this class, past Jetty's frame flusher: the plain socket of an event loop, whose
     * output Jetty's flusher shares for control frames. {@code null} (Jetty's flusher for everything) on TLS or any
     * other endpoint. Saves Jetty's per-frame objects and copies: docs/library-assumptions.md#jetty-event-loops
     * (point 6) and docs/benchmarks.md#issue-13-targets.
     */
    private volatile SharedOutput direct;
    private volatile ConnectionHandler handler;
    private volatile String id = "?";
    private volatile String address = "unknown";
    private boolean counted;
    /** Between a fragmented TEXT frame and its final CONTINUATION. */
    private boolean inText;

    /**
     * @param handlerFactory  builds the dialect's handler once the socket is open
     * @param ids             the connection id, taken when the socket opens
     * @param limits          the outbound queue's bound and batch size
     * @param maxMessageBytes largest text message, fragments included ({@code max-frame-bytes}); larger closes with 1009
     */
    public WebSocketConnection(SessionRegistry registry, WebStats stats, ConnectionHandler.Factory handlerFactory,
                               Supplier<String> ids, SessionLimits limits, int maxMessageBytes) {
        this.registry = registry;
        this.stats = stats;
        this.handlerFactory = handlerFactory;
        this.ids = ids;
        this.maxMessageBytes = maxMessageBytes;
        this.text = new TextAssembler(maxMessageBytes);
        this.queue = new OutboundQueue(limits.outboundQueueFrames(), limits.outboundBatchFrames(), this,
                cause -> log.debug("{}: write failed: {}", id, cause.toString()));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String dialect() {
        ConnectionHandler h = handler;
        return h == null ? "?" : h.dialect();
    }

    /** @throws IllegalStateException before the socket opened (no handler yet) */
    @Override
    public Endpoint endpoint() {
        ConnectionHandler h = handler;
        if (h == null) {
            throw new IllegalStateException("socket " + id + " is not open yet");
        }
        return h.endpoint();
    }

    @Override
    public String remoteAddress() {
        return address;
    }

    @Override
    public OutboundQueue outbound() {
        return queue;
    }

    @Override
    public void onOpen(CoreSession s, Callback callback) {
        this.session = s;
        if (s instanceof WebSocketCoreSession core && core.getConnection() != null
                && core.getConnection().getEndPoint() instanceof SharedOutput shared && s.getNegotiatedExtensions().isEmpty()) {
            this.direct = shared;
        }
        this.address = s.getRemoteAddress() instanceof InetSocketAddress isa ? isa.getAddress().getHostAddress() : "unknown";
        callback.succeeded();
        if (!registry.addresses().tryAcquire(address)) {
            // The upgrade gate's pre-check raced with another handshake from the same address.
            stats.countConnectionRefused(UpgradeRefusal.TOO_MANY_CONNECTIONS);
            stats.countError(ErrorCode.NOT_PERMITTED);
            s.close(CloseCodes.POLICY_VIOLATION, "too many connections from this address", Callback.NOOP);
            return;
        }
        counted = true;
        this.address = registry.addresses().shared(address); // one string per address, not one per socket
        this.id = ids.get();
        ConnectionHandler h = handlerFactory.open(this);
        handlerFactory = null;
        this.handler = h;
        stats.countConnectionOpened();
        if (!registry.add(this)) {
            close(CloseCodes.GOING_AWAY, "the bridge is stopping");
            return;
        }
        h.onOpen();
        s.demand();
    }

    /**
     * Text messages go through {@link TextAssembler}, pings are answered (RFC 6455 §5.5.2), binary messages are
     * refused. Demand is renewed after each frame, except after one that closes the socket.
     */
    @Override
    public void onFrame(Frame frame, Callback callback) {
        boolean more = true;
        switch (frame.getOpCode()) {
            case OpCode.TEXT, OpCode.CONTINUATION -> more = onTextFrame(frame);
            case OpCode.BINARY -> onBinaryFrame(frame);
            case OpCode.PING -> session.sendFrame(new Frame(OpCode.PONG, copy(frame.getPayload())), Callback.NOOP, false);
            case OpCode.CLOSE -> more = false; // Jetty answers the close handshake once this callback succeeds
            default -> {
                // a pong answers our keep-alive ping
            }
        }
        callback.succeeded();
        if (more) {
            session.demand();
        }
    }

    private boolean onTextFrame(Frame frame) {
        boolean first = frame.getOpCode() == OpCode.TEXT;
        if (!first && !inText) {
            return true; // the continuation of a binary message, already refused
        }
        inText = !frame.isFin();
        TextAssembler.Outcome outcome = text.accept(frame.getPayload(), first, frame.isFin());
        if (outcome instanceof TextAssembler.Message m) {
            ConnectionHandler h = handler;
            if (h != null) {
                h.onText(m.text());
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
            ConnectionHandler h = handler;
            if (h != null) {
                h.onBinary();
            }
        }
    }

    private static ByteBuffer copy(ByteBuffer payload) {
        if (payload == null) {
            return ByteBuffer.allocate(0);
        }
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(payload.duplicate()).flip();
        return copy;
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        log.debug("socket {} failed: {}", id, cause.toString());
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        ConnectionHandler h = handler;
        if (h != null) {
            queue.close();
            h.onClosed();
            registry.remove(this);
        }
        if (counted) {
            counted = false;
            registry.addresses().release(address);
        }
        callback.succeeded();
    }

    @Override
    public void send(List<ByteBuffer> frames, Completion done) {
        CoreSession s = session;
        SharedOutput out = direct;
        if (out != null) {
            // Server frames are not masked (RFC 6455 §5.1), so a text frame is its header and the payload's bytes: the
            // whole batch encoded here into one buffer and written in one write, with no Frame, flusher entry or
            // callback per frame. Past a sent CLOSE nothing may follow (§5.5.1): the frames fail as Jetty's would.
            if (!s.isOutputOpen()) {
                done.failed(new ClosedChannelException());
                return;
            }
            int length = TextFrames.length(frames);
            if (frames.size() == 1) {
                // One frame (a socket that keeps up): a heap array, which the JDK's write copies into its cached
                // direct buffer; cheaper than a trip through the pool for a few hundred bytes
                // (docs/benchmarks.md#issue-13-targets).
                ByteBuffer bytes = ByteBuffer.allocate(length);
                TextFrames.encode(frames, bytes);
                out.writeShared(new BatchWritten(1, 1, done), bytes);
                return;
            }
            RetainableByteBuffer pooled = s.getByteBufferPool().acquire(length, true); // direct: no copy by the JDK's write
            ByteBuffer bytes = pooled.getByteBuffer();
            bytes.clear().limit(length);
            TextFrames.encode(frames, bytes);
            out.writeShared(new DirectWritten(frames.size(), pooled, done), bytes);
            return;
        }
        // The bytes were encoded once per envelope and are shared by every recipient. Every frame but the last is
        // sent in Jetty's batch mode, which holds it in the connection's aggregation buffer; the last one, sent
        // unbatched, flushes them all in one write. Sent one by one unbatched, each would be its own write: on a
        // fast link Jetty's flusher finishes a write before the next frame arrives.
        BatchWritten written = new BatchWritten(frames.size(), frames.size(), done);
        int last = frames.size() - 1;
        for (int i = 0; i <= last; i++) {
            s.sendFrame(new Frame(OpCode.TEXT, frames.get(i)), written, i < last);
        }
    }

    /**
     * Completes a batch once every frame of it is written, or at the first failure. Non-blocking: completing only
     * pumps the outbound queue, so Jetty may run it on the thread that finished the write.
     */
    @SuppressWarnings("serial") // never serialized: the writes left, as an AtomicInteger to save an object per batch
    private class BatchWritten extends AtomicInteger implements Callback {
        private final int frames;
        private final Completion done;

        /** {@code writes}: how many callbacks complete the batch (one per frame through Jetty's flusher, one when direct). */
        BatchWritten(int frames, int writes, Completion done) {
            super(writes);
            this.frames = frames;
            this.done = done;
        }

        @Override
        public void succeeded() {
            if (decrementAndGet() == 0) {
                stats.countWriteBatch(); // first: whoever sees the frames counted sees their batch too
                stats.countFramesOut(frames);
                done.succeeded();
            }
        }

        @Override
        public void failed(Throwable cause) {
            if (getAndSet(-1) > 0) {
                done.failed(cause);
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    /** A direct write's completion: as {@link BatchWritten} for one write, and the pooled buffer goes back first. */
    @SuppressWarnings("serial")
    private final class DirectWritten extends BatchWritten {
        private final RetainableByteBuffer bytes;

        DirectWritten(int frames, RetainableByteBuffer bytes, Completion done) {
            super(frames, 1, done);
            this.bytes = bytes;
        }

        @Override
        public void succeeded() {
            bytes.release();
            super.succeeded();
        }

        @Override
        public void failed(Throwable cause) {
            bytes.release();
            super.failed(cause);
        }
    }

    @Override
    public void close(int statusCode, String reason) {
        CoreSession s = session;
        if (s != null && s.isOutputOpen()) {
            s.close(statusCode, reason, Callback.NOOP);
        }
    }

    /** Sends a ping so that a live browser answers and the idle timeout does not fire. Timer thread. */
    @Override
    public void ping() {
        CoreSession s = session;
        if (s != null && s.isOutputOpen()) {
            s.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
        }
    }
}
