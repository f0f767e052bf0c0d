package org.sigbridge.web.session;

import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.ErrorCode;

/**
 * The envelope one outbound frame carries, so that a frame dropped unwritten is reported to the envelope's sender by
 * envelope id (docs/design.md §2.4, "nothing dropped silently"). A dialect's {@code deliver} offers the frame with a
 * receipt ({@link OutboundQueue#offer(java.nio.ByteBuffer, EnvelopeReceipt)}); the queue calls {@link #notWritten}
 * for every frame it drops: those waiting when it closes (a slow consumer's 1013, a socket that went away) and those
 * of a write that failed. A frame whose write completed is delivered as far as the bridge can know (docs/design.md
 * §2.4: the operating system accepted its bytes).
 *
 * <p>{@link #notWritten} runs on the thread that closed the queue or saw the write fail, outside the queue's lock; it
 * only enqueues an error for the sender ({@link AdapterContext#reportFailure}), never blocks.
 *
 * @param envelope the envelope the frame carries
 * @param context  the hub, which finds the envelope's sender from its origin
 * @param socketId the id of the connection the frame was for, named in the report
 */
public record EnvelopeReceipt(Envelope envelope, AdapterContext context, String socketId) {

    /** Reports the envelope to its sender as {@code upstream_unavailable}, naming the socket and {@code why}. */
    public void notWritten(String why) {
        context.reportFailure(envelope, ErrorCode.UPSTREAM_UNAVAILABLE, "not delivered to " + socketId + ": " + why);
    }
}
