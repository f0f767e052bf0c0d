package org.sigbridge.web.loop;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.SocketChannelEndPoint;
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
 */
final class LoopEndPoint extends SocketChannelEndPoint {

    private final LoopSelector selector;
    /**
     * The last read of a WebSocket took less than its empty buffer could hold: the kernel had no more. Set and cleared
     * by the thread that reads (Jetty runs one read of an endpoint at a time), and cleared when the selector reports
     * the socket readable again.
     */
    private boolean drained;
    /** Reads answered without a system call; read by tests only ({@code LoopReadTest}). */
    private long readsSkipped;

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
