package org.sigbridge.web.socketio.v09;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.session.FrameSink.Completion;
import org.sigbridge.web.socketio.eio.codec.MalformedPacketException;
import org.sigbridge.web.socketio.sio.codec.SioCodec;
import org.sigbridge.web.socketio.v09.codec.V09Codec;
import org.sigbridge.web.socketio.v09.codec.V09Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link V09Session} writes (docs/socketio-09.md): queued frames become 0.9 packet texts (0.9 texts as they are,
 * the {@code 4<v5 packet>} texts families write through {@code SioSocket} translated by {@link V09Events#fromSio}),
 * and a held GET is answered with them as one payload ({@code \ufffd}-framed when more than one; wrapped in
 * {@code io.j[n]("…");} for jsonp-polling). Stateless apart from its collaborators; any thread.
 */
final class PollWriter {

    private static final Logger log = LoggerFactory.getLogger(PollWriter.class);

    private final String id;
    private final WebStats stats;
    private final Runnable answered;

    /**
     * @param id       the session's connection id, for logs
     * @param answered run after each answered GET, whether the write succeeded or failed (the session arms its close timer)
     */
    PollWriter(String id, WebStats stats, Runnable answered) {
        this.id = id;
        this.stats = stats;
        this.answered = answered;
    }

    /** 0.9 packet texts of queued frames: 0.9 texts as they are ({@code <digit>:}), family packets translated. */
    List<String> translate(List<ByteBuffer> frames) {
        List<String> out = new ArrayList<>(frames.size());
        for (ByteBuffer frame : frames) {
            String text = StandardCharsets.UTF_8.decode(frame.duplicate()).toString();
            if (text.length() > 1 && text.charAt(1) == ':') {
                out.add(text);
                continue;
            }
            try {
                out.add(V09Codec.encode(V09Events.fromSio(SioCodec.decode(text.substring(1)))));
            } catch (MalformedPacketException | RuntimeException bug) {
                log.warn("{}: a family wrote a packet with no 0.9 form; dropped: {}", id, text, bug);
            }
        }
        return out;
    }

    /** Answers a held GET with a payload of {@code packets}; {@code done} (if any) completes with the write. */
    void answer(V09Session.Held h, List<String> packets, Completion done) {
        String payload = V09Codec.encodePayload(packets);
        Response response = h.response();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (h.jsonp() >= 0) {
            payload = "io.j[" + h.jsonp() + "](" + jsString(payload) + ");";
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/javascript; charset=UTF-8");
            response.getHeaders().put("X-XSS-Protection", "0");
        } else {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=UTF-8");
        }
        int count = packets.size();
        response.write(true, ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)), Callback.from(() -> {
            h.callback().succeeded();
            answered.run();
            if (done != null) {
                stats.countFramesOut(count);
                done.succeeded();
            }
        }, failure -> {
            h.callback().failed(failure);
            answered.run(); // the client may poll again (or the close timeout ends the session)
            if (done != null) {
                done.failed(failure);
            }
        }));
    }

    /** A JavaScript string literal: JSON's, with U+2028/U+2029 escaped as the reference does. */
    static String jsString(String s) {
        return JsonValue.string(s).json().replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }
}
