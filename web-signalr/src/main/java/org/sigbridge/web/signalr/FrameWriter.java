package org.sigbridge.web.signalr;

import java.time.Clock;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.session.CloseCodes;
import org.sigbridge.web.session.EnvelopeReceipt;
import org.sigbridge.web.session.OutboundQueue;
import org.sigbridge.web.spi.WebConnection;

/**
 * Writes one socket's SignalR frames (JSON text) to its bounded outbound queue ({@link OutboundQueue}: one send in
 * flight). A frame that does not fit closes the socket with 1013 as a slow consumer; a frame that
 * carries an envelope and is not written tells the envelope's sender by id ({@link EnvelopeReceipt}, docs/design.md
 * §2.4). Remembers when a frame was last queued, for keep-alive pings.
 *
 * <p>Any thread; never blocks.
 */
final class FrameWriter {

    private final WebConnection socket;
    private final WebStats stats;
    private final Clock clock;
    private volatile long lastQueuedMillis;

    /** @param sinceMillis when the socket opened: what {@link #lastQueuedMillis} answers before the first frame */
    FrameWriter(WebConnection socket, WebStats stats, Clock clock, long sinceMillis) {
        this.socket = socket;
        this.stats = stats;
        this.clock = clock;
        this.lastQueuedMillis = sinceMillis;
    }

    /** Writes one frame; false when the socket is closed or too slow (then closed with 1013). */
    boolean write(String frame) {
        return write(frame, null);
    }

    /**
     * Writes one frame that carries an envelope: as {@link #write(String)}, and if the frame is not queued, or is
     * dropped unwritten later (a slow consumer's close, a socket gone), the envelope's sender is told by id through
     * {@code receipt}.
     */
    boolean write(String frame, EnvelopeReceipt receipt) {
        OutboundQueue.Offer offer = socket.outbound().offer(new JsonValue(frame).utf8(), receipt);
        if (offer == OutboundQueue.Offer.OVERFLOW) {
            stats.countSlowConsumer();
            socket.closeWith(CloseCodes.TRY_AGAIN_LATER, "slow consumer");
            if (receipt != null) {
                receipt.notWritten("a slow consumer; the socket was closed with 1013");
            }
            return false;
        }
        if (offer == OutboundQueue.Offer.CLOSED && receipt != null) {
            receipt.notWritten("the socket is closing");
        }
        return queued(offer);
    }

    /**
     * Writes a frame that reports a failure to the page (a completion error for a message not sent,
     * {@code onDeliveryFailed} naming an envelope id) through the queue's reserve ({@link OutboundQueue#offerReport}):
     * when a slow consumer is closed, every envelope that waited for it is reported to its sender at once, and a sender
     * that keeps up must not be closed by that burst (docs/reliability.md, "browser stall"). Beyond the reserve the
     * socket is closed with 1013 as a slow consumer.
     */
    boolean writeReport(String frame) {
        OutboundQueue.Offer offer = socket.outbound().offerReport(new JsonValue(frame).utf8());
        if (offer == OutboundQueue.Offer.OVERFLOW) {
            stats.countSlowConsumer();
            socket.closeWith(CloseCodes.TRY_AGAIN_LATER, "slow consumer");
            return false;
        }
        return queued(offer);
    }

    /** When a frame was last queued (or the socket opened), by the hub's clock. */
    long lastQueuedMillis() {
        return lastQueuedMillis;
    }

    private boolean queued(OutboundQueue.Offer offer) {
        if (offer == OutboundQueue.Offer.ACCEPTED) {
            lastQueuedMillis = clock.millis();
            return true;
        }
        return false;
    }
}
