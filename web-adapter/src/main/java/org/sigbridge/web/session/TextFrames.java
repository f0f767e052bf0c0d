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

    /** Bytes that {@link #encode} writes for these payloads. */
    static int length(List<ByteBuffer> payloads) {
        int total = 0;
        for (int i = 0, n = payloads.size(); i < n; i++) {
            int len = payloads.get(i).remaining();
            total += headerLength(len) + len;
        }
        return total;
    }

    /**
     * Writes the frames of the payloads, in order, into {@code out} from index 0 ({@link #length} bytes; absolute puts:
     * neither {@code out}'s nor the shared payloads' positions change).
     */
    static void encode(List<ByteBuffer> payloads, ByteBuffer out) {
        int at = 0;
        for (int i = 0, n = payloads.size(); i < n; i++) {
            ByteBuffer p = payloads.get(i);
            int len = p.remaining();
            out.put(at++, (byte) 0x81); // FIN + TEXT
            if (len < 126) {
                out.put(at++, (byte) len);
            } else if (len <= 0xFFFF) {
                out.put(at++, (byte) 126);
                out.putShort(at, (short) len); // network order: ByteBuffers are big-endian
                at += 2;
            } else {
                out.put(at++, (byte) 127);
                out.putLong(at, len);
                at += 8;
            }
            out.put(at, p, p.position(), len);
            at += len;
        }
    }

    private static int headerLength(int payload) {
        return payload < 126 ? 2 : payload <= 0xFFFF ? 4 : 10;
    }
}
