package org.sigbridge.web.session;

import java.nio.ByteBuffer;
import java.util.List;

/** Where an {@link OutboundQueue} writes: a transport (a WebSocket, or a poll waiting for frames). Implementations must not block. */
public interface FrameSink {

    /**
     * Writes {@code frames} (UTF-8 payloads) in order as text messages, in as few writes as the transport can.
     * Calls exactly one method of {@code done} once all are written or the first fails; may call it before
     * returning. The buffers are not changed; their contents must not change until {@code done} is called.
     */
    void send(List<ByteBuffer> frames, Completion done);

    /** The outcome of one {@link #send}. */
    interface Completion {
        void succeeded();

        void failed(Throwable cause);
    }
}
