package org.sigbridge.web.socketio.eio.codec;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * How one Engine.IO revision frames several packets in one polling HTTP body (docs/dialects.md §7.2, §7.3): the
 * answer to a GET and the body of a POST. Implementations are pure, immutable and thread-safe:
 * {@link Eio4Framing} ({@code \u001e} between packets), {@link Eio3BinaryFraming} ({@code 00 <digits> FF <packet>})
 * and {@link Eio3TextFraming} ({@code <length>:<packet>}, {@code b64=1}).
 */
public interface PayloadFraming {

    /** An encoded polling answer: its {@code Content-Type} and bytes. */
    record Body(String contentType, ByteBuffer bytes) {
    }

    /**
     * Frames packets for a GET answer.
     *
     * @param packets each packet's text ({@code <type digit><data>}) as UTF-8 bytes; the buffers are not consumed
     */
    Body encode(List<ByteBuffer> packets);

    /**
     * Decodes a POST body.
     *
     * @param contentType the request's {@code Content-Type}, or {@code null}
     * @throws MalformedPacketException at the first thing that is not a framed packet (the reference ends the
     *                                  session then)
     */
    List<EioPacket> decode(byte[] body, String contentType) throws MalformedPacketException;
}
