package org.sigbridge.web.loop;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.core.WebSocketConnection;

/**
 * A socket whose plain WebSocket reads run on the selector thread with the thread's {@link WriteCork} open.
 *
 * <p>Jetty asks each selected endpoint for a task and, for a task that says it blocks, wakes a pool thread to
 * take over selecting before running it: a thread hand-off per read. A WebSocket read here never blocks: frames are
 * parsed, published to the hub (which only enqueues for other legs) and answered with non-blocking writes. So
 * once the connection is a {@link WebSocketConnection} its tasks are declared {@link InvocationType#NON_BLOCKING}
 * and Jetty runs them in the selecting thread, one after another, like an event loop. Anything else on the socket
 * (the HTTP exchange before the upgrade) keeps Jetty's dispatch; the thread's cork is released before such a task
 * runs, so nothing waits for a request handler that might block.
 *
 * <p>A WebSocket read ends without the empty read. Jetty's {@link WebSocketConnection} reads until a read returns
 * nothing, so every read cycle ended with a {@code read} system call that answered {@code EAGAIN}: about one per
 * delivery in pairs (docs/benchmarks.md, "syscalls per delivery": 1.62 reads per delivery against Node's 0.69). A
 * read into an empty buffer that returned less than the buffer holds took everything the kernel had, so the next
 * read of the same cycle answers "nothing" without asking ({@link #fill}); Jetty then asks the selector to watch the
 * socket, and since the JDK's epoll selector is level-triggered, bytes that arrived in between wake it at once: a
 * guess that is wrong costs one select, never data (docs/library-assumptions.md#jetty-event-loops).
 *
 * <p>On a WebSocket, writes are {@linkplain SharedOutput shared}: Jetty's frame flusher and sigbridge's pre-encoded
 * data frames each have at most one write in flight, and one that arrives while the other's is in flight waits for it
 * (instead of Jetty's {@code WritePendingException}). The endpoint itself is the callback of the write in flight, so
 * sharing allocates nothing per write.
 */
final class LoopEndPoint extends SocketChannelEndPoint implements SharedOutput, Callback {

    private final LoopSelector selector;
    /**
     * The last read of a WebSocket took less than its empty buffer could hold: the kernel had no more. Set and cleared
     * by the thread that reads (Jetty runs one read of an endpoint at a time), and cleared when the selector reports
     * the socket readable again.
     */
    private boolean drained;
    /** Reads answered without a system call; read by tests only ({@code LoopReadTest}). */
    private long readsSkipped;
    /** The callback of the shared write in flight, {@code null} when none is; guarded by {@code this}. */
    private Callback writing;
    /** Shared writes made while one was in flight, callback then buffers; {@code null} until the first. Guarded by {@code this}. */
    private ArrayDeque<Object> waiting;

    LoopEndPoint(SocketChannel channel, LoopSelector selector, SelectionKey key, Scheduler scheduler) {
        super(channel, selector, key, scheduler);
        this.selector = selector;
    }

    @Override
    public Runnable onSelected() {
        drained = false;
        Runnable task = super.onSelected();
        if (task == null) {
            return null;
        }
        return getConnection() instanceof WebSocketConnection ? new ReadInLoop(task) : new ReleaseThenRun(task);
    }

    /**
     * As Jetty's, except that on a WebSocket the read after a short one answers 0 without a system call (see the
     * class description). A short read is one into an empty buffer that left room in it.
     */
    @Override
    public int fill(ByteBuffer buffer) throws IOException {
        if (!(getConnection() instanceof WebSocketConnection)) {
            return super.fill(buffer);
        }
        if (drained) {
            drained = false;
            readsSkipped++;
            return 0;
        }
        boolean empty = !buffer.hasRemaining();
        int filled = super.fill(buffer);
        drained = empty && filled > 0 && filled < buffer.capacity();
        return filled;
    }

    /** Jetty's own writes on a WebSocket (its frame flusher's) share the output with {@link #writeShared}. */
    @Override
    public void write(Callback callback, ByteBuffer... buffers) {
        if (getConnection() instanceof WebSocketConnection) {
            writeShared(callback, buffers);
        } else {
            super.write(callback, buffers);
        }
    }

    @Override
    public void writeShared(Callback callback, ByteBuffer... buffers) {
        synchronized (this) {
            if (writing != null) {
                if (waiting == null) {
                    waiting = new ArrayDeque<>(4);
                }
                waiting.addLast(callback);
                waiting.addLast(buffers);
                return;
            }
            writing = callback;
        }
        super.write(this, buffers);
    }

    /** The shared write in flight is written: tell its writer, then start the next one waiting. */
    @Override
    public void succeeded() {
        next().succeeded();
    }

    /** The shared write in flight failed: tell its writer; the next one waiting is tried (and fails if the socket is gone). */
    @Override
    public void failed(Throwable cause) {
        next().failed(cause);
    }

    /**
     * Ends the write in flight and starts the next waiting one, if any; the ended write's callback. Jetty's write
     * flusher is idle when it completes a write, so starting the next one here is allowed; a write that completes
     * at once recurses once per waiting write, at most one per writer.
     */
    private Callback next() {
        Callback done;
        Callback nextCallback;
        ByteBuffer[] nextBuffers = null;
        synchronized (this) {
            done = writing;
            nextCallback = waiting == null ? null : (Callback) waiting.pollFirst();
            if (nextCallback != null) {
                nextBuffers = (ByteBuffer[]) waiting.pollFirst();
            }
            writing = nextCallback;
        }
        if (nextCallback != null) {
            super.write(this, nextBuffers);
        }
        return done;
    }

    /** As the write in flight's callback, so that Jetty completes it on the thread it would have used. */
    @Override
    public InvocationType getInvocationType() {
        Callback w;
        synchronized (this) {
            w = writing;
        }
        return w == null ? InvocationType.NON_BLOCKING : Invocable.getInvocationType(w);
    }

    /** How many WebSocket reads {@link #fill} answered without a system call. */
    long readsSkipped() {
        return readsSkipped;
    }

    /** A WebSocket read or write completion, run in the selecting thread with the cork open. */
    private final class ReadInLoop extends Wrapped {
        ReadInLoop(Runnable task) {
            super(task);
        }

        @Override
        public void run() {
            WriteCork.open();
            try {
                task.run();
            } finally {
                if (!selector.isSelectingThread()) {
                    WriteCork.releaseCurrent(); // this thread will not select next; nothing may wait for it
                }
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    /** Any other task: Jetty's own invocation type, and the thread's deferred writes go out before it runs. */
    private static final class ReleaseThenRun extends Wrapped {
        ReleaseThenRun(Runnable task) {
            super(task);
        }

        @Override
        public void run() {
            WriteCork.releaseCurrent();
            task.run();
        }

        @Override
        public InvocationType getInvocationType() {
            return Invocable.getInvocationType(task);
        }
    }

    /**
     * One of Jetty's endpoint tasks, wrapped. Closeable like the task itself: Jetty closes a task it cannot run
     * (an executor that refused it), which closes the endpoint.
     */
    private abstract static class Wrapped implements Invocable.Task, Closeable {
        final Runnable task;

        Wrapped(Runnable task) {
            this.task = task;
        }

        @Override
        public void close() throws IOException {
            if (task instanceof Closeable closeable) {
                closeable.close();
            }
        }

        @Override
        public String toString() {
            return getClass().getSimpleName() + "@" + task;
        }
    }
}
