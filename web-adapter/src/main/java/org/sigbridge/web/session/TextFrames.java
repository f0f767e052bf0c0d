package org.sigbridge.web.session;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Server-to-client WebSocket text frames as bytes (RFC 6455 §5.2): FIN, opcode 1, no mask (a server never masks,
 * §5.1), the payload length in 7, 7+16 or 7+64 bits, then the payload. Used for {@link WebSocketConnection}'s direct
 * writes, which leave Jetty's frame flusher out of the data path; control frames stay Jetty's.
 */
final class TextFrames {

    private TextFrames() {
    }

    /** The frames' UTF-8 payloads as one buffer of whole frames, in order; the payloads' positions are not changed. */
    static ByteBuffer encode(List<ByteBuffer> payloads) {
        int n = payloads.size();
        int total = 0;
        for (int i = 0; i < n; i++) {
            int len = payloads.get(i).remaining();
            total += headerLength(len) + len;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (int i = 0; i < n; i++) {
            ByteBuffer p = payloads.get(i);
            int len = p.remaining();
            out[at++] = (byte) 0x81; // FIN + TEXT
            if (len < 126) {
                out[at++] = (byte) len;
            } else if (len <= 0xFFFF) {
                out[at++] = 126;
                out[at++] = (byte) (len >>> 8);
                out[at++] = (byte) len;
            } else {
                out[at++] = 127;
                for (int shift = 56; shift >= 0; shift -= 8) {
                    out[at++] = (byte) ((long) len >>> shift);
                }
            }
            p.get(p.position(), out, at, len); // absolute: the shared payload's position stays
            at += len;
        }
        return ByteBuffer.wrap(out);
    }

    private static int headerLength(int payload) {
        return payload < 126 ? 2 : payload <= 0xFFFF ? 4 : 10;
    }
}
