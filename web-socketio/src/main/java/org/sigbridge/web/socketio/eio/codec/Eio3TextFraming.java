package org.sigbridge.web.socketio.eio.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Engine.IO 3's text polling payload (docs/dialects.md §7.2): {@code <length>:<packet>} repeated, the length counting
 * UTF-16 code units (a JavaScript string length). Clients POST in it (unless the payload carries binary), and get it
 * when they poll with {@code b64=1}.
 *
 * <p>The UTF-8 layer of socket.io 1.x: engine.io-parser 1.x encodes each packet of a text payload to UTF-8 and writes
 * the bytes as characters (so {@code é} travels as {@code Ã©}, and the length counts those characters);
 * engine.io-parser 2.x (socket.io-client 2.x) does not, and both send {@code EIO=3}. Decoding tells them apart per
 * packet: a packet whose characters are all below U+0100, some at U+0080 or above, and which is valid UTF-8 read as
 * bytes, is a 1.x packet and is decoded; anything else is taken as it is (a 2.x packet of Latin-1 text that happens to
 * be valid UTF-8 as bytes would be misread; signaling JSON does not look like that). Encoding sidesteps the question:
 * characters outside ASCII are written as JSON {@code \\uXXXX} escapes, which both generations read alike (so a
 * namespace name outside ASCII cannot be served to {@code b64=1} clients).
 */
public final class Eio3TextFraming implements PayloadFraming {

    public static final Eio3TextFraming INSTANCE = new Eio3TextFraming();
    private static final int MAX_DIGITS = 10;

    private Eio3TextFraming() {
    }

    @Override
    public Body encode(List<ByteBuffer> packets) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuffer p : packets) {
            String text = StandardCharsets.UTF_8.decode(p.duplicate()).toString();
            String ascii = asciiEscaped(text);
            sb.append(ascii.length()).append(':').append(ascii);
        }
        return new Body("text/plain; charset=UTF-8", ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    /** Reads a POST by its {@code Content-Type}: {@code application/octet-stream} is binary framing, else text. */
    @Override
    public List<EioPacket> decode(byte[] body, String contentType) throws MalformedPacketException {
        return Eio3BinaryFraming.isBinary(contentType) ? Eio3BinaryFraming.decodeBinary(body) : decodeText(body);
    }

    static List<EioPacket> decodeText(byte[] body) throws MalformedPacketException {
        return decodeText(Eio4Framing.utf8(body));
    }

    /** Decodes a text payload already read as characters. */
    static List<EioPacket> decodeText(String text) throws MalformedPacketException {
        if (text.isEmpty()) {
            throw new MalformedPacketException("empty payload");
        }
        List<EioPacket> packets = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int colon = i;
            while (colon < text.length() && text.charAt(colon) >= '0' && text.charAt(colon) <= '9') {
                colon++;
            }
            if (colon == i || colon - i > MAX_DIGITS || colon >= text.length() || text.charAt(colon) != ':') {
                throw new MalformedPacketException("payload part without a valid <length>: prefix at " + i);
            }
            long length = Long.parseLong(text.substring(i, colon));
            int start = colon + 1;
            if (length > text.length() - start) {
                throw new MalformedPacketException("payload length " + length + " beyond the body");
            }
            int end = start + (int) length;
            if (end > start) { // the reference skips a zero-length part
                packets.add(EioCodec.decode(withoutUtf8Layer(text.substring(start, end))));
            }
            i = end;
        }
        if (packets.isEmpty()) {
            throw new MalformedPacketException("payload without a packet");
        }
        return packets;
    }

    /** Undoes socket.io 1.x's UTF-8 layer when the packet carries it (see the class comment). */
    static String withoutUtf8Layer(String packet) {
        boolean high = false;
        for (int k = 0; k < packet.length(); k++) {
            char c = packet.charAt(k);
            if (c >= 0x100) {
                return packet;
            }
            high |= c >= 0x80;
        }
        if (!high) {
            return packet;
        }
        byte[] bytes = new byte[packet.length()];
        for (int k = 0; k < bytes.length; k++) {
            bytes[k] = (byte) packet.charAt(k);
        }
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return strict.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException latin1) {
            return packet;
        }
    }

    /** Characters outside ASCII as {@code \\uXXXX} (JSON escapes; packets carry JSON after their type digits). */
    static String asciiEscaped(String text) {
        StringBuilder sb = null;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c < 0x80) {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, k);
            }
            sb.append(String.format("\\u%04x", (int) c));
        }
        return sb == null ? text : sb.toString();
    }
}
