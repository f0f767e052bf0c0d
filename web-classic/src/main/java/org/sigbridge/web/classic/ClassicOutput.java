package org.sigbridge.web.classic;

import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.classic.frames.ServerFrames;
import org.sigbridge.web.session.CloseCodes;
import org.sigbridge.web.session.EnvelopeReceipt;
import org.sigbridge.web.session.OutboundQueue;
import org.sigbridge.web.spi.WebConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a classic session writes: frames through the connection's bounded {@link OutboundQueue}, error frames counted
 * by code, and the 1013 close of a slow consumer. Any thread; never blocks.
 */
final class ClassicOutput {

    private static final Logger log = LoggerFactory.getLogger(ClassicOutput.class);

    private final WebConnection connection;
    private final WebStats stats;
    private final int queueFrames;

    ClassicOutput(WebConnection connection, WebStats stats, int queueFrames) {
        this.connection = connection;
        this.stats = stats;
        this.queueFrames = queueFrames;
    }

    /** An error frame (docs/design.md §3.9), counted by code. */
    void error(ErrorCode code, String detail, String envelopeId) {
        stats.countError(code);
        if (envelopeId == null) {
            send(ServerFrames.error(code, detail, null));
            return;
        }
        // Naming an envelope: may be one of a burst of reports (a slow consumer's queue); the queue's reserve takes it.
        if (connection.outbound().offerReport(new JsonValue(ServerFrames.error(code, detail, envelopeId)).utf8())
                == OutboundQueue.Offer.OVERFLOW) {
            stats.countSlowConsumer();
            log.info("{}: slow consumer: {} frames and as many error reports waiting; closing with 1013", connection.id(), queueFrames);
            closeWith(CloseCodes.TRY_AGAIN_LATER, "slow consumer");
        }
    }

    boolean send(String frame) {
        return send(new JsonValue(frame));
    }

    /** Enqueues a frame; on overflow closes the connection with 1013 and returns false. */
    boolean send(JsonValue frame) {
        return send(frame, null);
    }

    /**
     * Enqueues a frame that carries an envelope ({@code receipt}, or {@code null} for none); on overflow closes the
     * connection with 1013 and returns false. The envelope is reported to its sender if the frame is not queued, or
     * is dropped unwritten later (docs/design.md §2.4).
     */
    boolean send(JsonValue frame, EnvelopeReceipt receipt) {
        OutboundQueue.Offer offer = connection.outbound().offer(frame.utf8(), receipt);
        if (offer == OutboundQueue.Offer.OVERFLOW) {
            stats.countSlowConsumer();
            log.info("{}: slow consumer: {} frames waiting; closing with 1013", connection.id(), queueFrames);
            closeWith(CloseCodes.TRY_AGAIN_LATER, "slow consumer");
            if (receipt != null) {
                receipt.notWritten("a slow consumer: " + queueFrames + " frames were waiting; the socket was closed with 1013");
            }
            return false;
        }
        if (offer == OutboundQueue.Offer.CLOSED && receipt != null) {
            receipt.notWritten("the socket is closing");
        }
        return offer == OutboundQueue.Offer.ACCEPTED;
    }

    /** See {@link WebConnection#closeWith}. */
    void closeWith(int statusCode, String reason) {
        connection.closeWith(statusCode, reason);
    }
}
