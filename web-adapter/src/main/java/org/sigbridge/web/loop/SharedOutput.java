package org.sigbridge.web.loop;

import java.nio.ByteBuffer;
import org.eclipse.jetty.util.Callback;

/**
 * An endpoint whose output more than one writer may use: a {@link #write} that arrives while another is in flight waits
 * for it instead of failing with Jetty's {@code WritePendingException}, and writes reach the socket in the order they
 * were made. The event loop's plain WebSockets are such endpoints ({@link EventLoopConnector}): Jetty's frame flusher
 * (control frames: pings, pongs, close) and sigbridge's own pre-encoded data frames share the socket
 * (docs/benchmarks.md#issue-13-targets).
 *
 * <p>Each writer must itself have at most one write in flight, as Jetty's flusher and
 * {@link org.sigbridge.web.session.OutboundQueue} do, so at most one write per writer waits.
 */
public interface SharedOutput {

    /**
     * Writes {@code buffers} in order after every write already made on this endpoint; calls {@code callback} once they
     * are written or the write failed. Never blocks; may complete before returning.
     */
    void writeShared(Callback callback, ByteBuffer... buffers);
}
