package org.sigbridge.web.socketio.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.socketio.eio.codec.PayloadFraming;
import org.sigbridge.web.spi.WebConnection;

/**
 * One long-poll GET of a polling session, held until packets wait or answered at once: the answer is the packets in
 * the session's {@link PayloadFraming}. Immutable; {@link #answer} is called once, on any thread, never under the
 * session's lock (it writes).
 *
 * @param response the GET's response
 * @param callback the GET's callback, completed when the answer is written
 */
record PollAnswer(Response response, Callback callback) {

    /** Answers with one control packet (a noop for the upgrade, a CLOSE), which counts as no frame out. */
    void answer(PayloadFraming framing, String packet) {
        answer(framing, List.of(ByteBuffer.wrap(packet.getBytes(StandardCharsets.UTF_8))), null, null);
    }

    /**
     * Answers with {@code frames}, each one Engine.IO packet's text as UTF-8.
     *
     * @param done  completed with the write (the outbound queue's batch), or {@code null} for control packets
     * @param stats counts the frames out when {@code done} is given
     */
    void answer(PayloadFraming framing, List<ByteBuffer> frames, WebConnection.Completion done, WebStats stats) {
        PayloadFraming.Body body = framing.encode(frames);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, body.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        int count = frames.size();
        response.write(true, body.bytes(), Callback.from(() -> {
            callback.succeeded();
            if (done != null) {
                stats.countFramesOut(count);
                done.succeeded();
            }
        }, failure -> {
            callback.failed(failure);
            if (done != null) {
                done.failed(failure);
            }
        }));
    }
}
