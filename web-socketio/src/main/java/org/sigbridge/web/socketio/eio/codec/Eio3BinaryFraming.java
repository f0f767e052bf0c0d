package org.sigbridge.web.socketio.eio.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Engine.IO 3's binary polling payload (docs/dialects.md §7.2), what XHR2 clients of socket.io 1.x and 2.x get: each
 * packet is {@code 00} (a text packet; {@code 01} binary), its length as one byte per decimal digit, {@code FF}, then
 * the packet: for a text packet its UTF-8 bytes, and the length counts those bytes (engine.io-parser encodes text
 * packets of a binary payload to UTF-8 and decodes them back). Served to every Engine.IO 3 poller that did not ask for
 * {@code b64=1}, as socket.io 1.x's server does. POST bodies are read by their {@code Content-Type}, as the reference
 * reads them: {@code application/octet-stream} in this framing (clients send it when a payload carries binary), anything
 * else as {@link Eio3TextFraming} text, whatever the session's answers use.
 */
public final class Eio3BinaryFraming implements PayloadFraming {

    public static final Eio3BinaryFraming INSTANCE = new Eio3BinaryFraming();
    /** Digits of a length: the reference allows 310 (a double); a POST is bounded far below 10 digits anyway. */
    private static final int MAX_DIGITS = 10;

    private Eio3BinaryFraming() {
    }

    @Override
    public Body encode(List<ByteBuffer> packets) {
        int size = 0;
        for (ByteBuffer p : packets) {
            size += p.remaining() + 2 + Integer.toString(p.remaining()).length();
        }
        ByteBuffer body = ByteBuffer.allocate(size);
        for (ByteBuffer p : packets) {
            body.put((byte) 0);
            String digits = Integer.toString(p.remaining());
            for (int i = 0; i < digits.length(); i++) {
                body.put((byte) (digits.charAt(i) - '0'));
            }
            body.put((byte) 0xFF);
            body.put(p.duplicate());
        }
        return new Body("application/octet-stream", body.flip());
    }

    @Override
    public List<EioPacket> decode(byte[] body, String contentType) throws MalformedPacketException {
        return isBinary(contentType) ? decodeBinary(body) : Eio3TextFraming.decodeText(body);
    }

    /** Whether a POST's {@code Content-Type} says binary framing. */
    static boolean isBinary(String contentType) {
        return contentType != null && contentType.strip().toLowerCase(java.util.Locale.ROOT).startsWith("application/octet-stream");
    }

    static List<EioPacket> decodeBinary(byte[] body) throws MalformedPacketException {
        if (body.length == 0) {
            throw new MalformedPacketException("empty payload");
        }
        List<EioPacket> packets = new ArrayList<>();
        int i = 0;
        while (i < body.length) {
            int kind = body[i++];
            if (kind != 0 && kind != 1) {
                throw new MalformedPacketException("payload part starts with " + (kind & 0xFF) + ", not 0 (text) or 1 (binary)");
            }
            long length = 0;
            int digits = 0;
            while (true) {
                if (i >= body.length) {
                    throw new MalformedPacketException("payload length not terminated by 0xFF");
                }
                int b = body[i++] & 0xFF;
                if (b == 0xFF) {
                    break;
                }
                if (b > 9 || ++digits > MAX_DIGITS) {
                    throw new MalformedPacketException("payload length digit " + b + " out of range");
                }
                length = length * 10 + b;
            }
            if (digits == 0 || length > body.length - i) {
                throw new MalformedPacketException("payload length " + (digits == 0 ? "missing" : length + " beyond the body"));
            }
            int n = (int) length;
            if (kind == 1) {
                packets.add(EioPacket.BINARY); // signaling is text: the attachment is dropped and its event refused
            } else {
                packets.add(EioCodec.decode(utf8(body, i, n)));
            }
            i += n;
        }
        return packets;
    }

    private static String utf8(byte[] body, int from, int length) throws MalformedPacketException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body, from, length)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedPacketException("text packet is not UTF-8");
        }
    }

}
