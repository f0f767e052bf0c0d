package org.sigbridge.web.session;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns one socket's text frames (a TEXT frame and its CONTINUATION frames, RFC 6455 §5.4) into message strings,
 * bounded by {@code maxBytes} and checked as UTF-8.
 *
 * <p>Why not Jetty's own text aggregation: it decodes every message through a 4 KiB {@code StringBuilder}
 * allocated per message and grown by copying, which the benchmark's profile showed as the hottest code in the
 * relay path. Signalling frames are nearly always ASCII (JSON with SDP and ICE text), so the common case here is
 * the payload copied out of Jetty's buffer into a scratch array and taken as a Latin-1 string without decoding;
 * anything else is decoded strictly, because RFC 6455 §8.1 requires a text message that is not valid UTF-8 to fail
 * the connection (1007).
 *
 * <p>Not thread-safe: used by the socket's reading thread only (frames arrive one at a time).
 */
final class TextAssembler {

    /** What became of a frame. */
    sealed interface Outcome {
    }

    /** A whole message. */
    record Message(String text) implements Outcome {
    }

    /** A fragment was kept; the message continues. */
    record Partial() implements Outcome {
    }

    /** The message is larger than allowed (close with 1009). */
    record TooLarge(long bytes) implements Outcome {
    }

    /** The message is not valid UTF-8 (close with 1007). */
    record NotUtf8() implements Outcome {
    }

    private static final Partial PARTIAL = new Partial();
    private static final NotUtf8 NOT_UTF8 = new NotUtf8();

    private final int maxBytes;
    /** Fragments of an unfinished message; null between messages (an idle socket holds no buffer). */
    private byte[] pending;
    private int pendingLength;

    TextAssembler(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Takes the payload of a TEXT ({@code first}) or CONTINUATION frame. The buffer is read, not kept: the caller
     * may release it as soon as this returns.
     */
    Outcome accept(ByteBuffer payload, boolean first, boolean fin) {
        int n = payload == null ? 0 : payload.remaining();
        if (first) {
            pending = null;
            pendingLength = 0;
        }
        long total = (long) pendingLength + n;
        if (total > maxBytes) {
            pending = null;
            pendingLength = 0;
            return new TooLarge(total);
        }
        if (fin && pending == null) {
            return decode(payload, n);
        }
        if (pending == null || pending.length < total) {
            pending = pending == null ? new byte[(int) Math.max(total, 256)]
                    : Arrays.copyOf(pending, (int) Math.min(maxBytes, Math.max(total, 2L * pending.length)));
        }
        if (n > 0) {
            payload.duplicate().get(pending, pendingLength, n);
        }
        pendingLength = (int) total;
        if (!fin) {
            return PARTIAL;
        }
        Outcome whole = decode(ByteBuffer.wrap(pending, 0, pendingLength), pendingLength);
        pending = null;
        pendingLength = 0;
        return whole;
    }

    /**
     * The payload as a string. Jetty's network buffers are direct, so the bytes are first copied into the reading
     * thread's scratch array (not a new one per message: docs/benchmarks.md, "socket.io 4", round 3), and the string
     * copies them once more, which it must.
     */
    private static Outcome decode(ByteBuffer payload, int n) {
        if (n == 0) {
            return new Message("");
        }
        byte[] bytes;
        int offset;
        if (payload.hasArray()) {
            bytes = payload.array();
            offset = payload.arrayOffset() + payload.position();
        } else {
            bytes = scratch(n);
            offset = 0;
            payload.duplicate().get(bytes, 0, n);
        }
        if (isAscii(bytes, offset, n)) {
            // ASCII is Latin-1 byte for byte: the string takes the bytes as they are.
            return new Message(new String(bytes, offset, n, StandardCharsets.ISO_8859_1));
        }
        try {
            return new Message(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, n)).toString());
        } catch (CharacterCodingException e) {
            return NOT_UTF8;
        }
    }

    /** Largest scratch array a reading thread keeps; a longer message gets an array of its own. */
    static final int MAX_SCRATCH = 16 * 1024;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[4096]);

    /** An array of at least {@code n} bytes that only the calling thread uses, until its next call. */
    private static byte[] scratch(int n) {
        byte[] b = SCRATCH.get();
        if (b.length >= n) {
            return b;
        }
        if (n > MAX_SCRATCH) {
            return new byte[n];
        }
        b = new byte[Math.max(n, Math.min(MAX_SCRATCH, 2 * b.length))];
        SCRATCH.set(b);
        return b;
    }

    private static boolean isAscii(byte[] bytes, int offset, int n) {
        int bits = 0;
        for (int i = offset, end = offset + n; i < end; i++) {
            bits |= bytes[i];
        }
        return bits >= 0;
    }
}
