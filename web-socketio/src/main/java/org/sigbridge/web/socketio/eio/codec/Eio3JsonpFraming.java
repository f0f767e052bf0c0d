package org.sigbridge.web.socketio.eio.codec;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.sigbridge.envelope.JsonValue;

/**
 * Engine.IO 3's JSONP polling (docs/socketio.md), what socket.io-client 1.x/2.x fall back to where XHR is missing: a
 * GET is answered with the script {@code ___eio[<j>]("<text payload as a JavaScript string>");}, and a POST carries the
 * text payload in the form field {@code d}, its newlines escaped by the client ({@code \n} for a newline,
 * {@code \\n} for a backslash-n). The payload inside is {@link Eio3TextFraming}'s. One instance per session, for the
 * handshake's {@code j}; immutable.
 *
 * @param index the {@code j} of the handshake, digits only (the reference strips anything else)
 */
public record Eio3JsonpFraming(String index) implements PayloadFraming {

    public Eio3JsonpFraming {
        index = index.replaceAll("[^0-9]", "");
    }

    @Override
    public Body encode(List<ByteBuffer> packets) {
        ByteBuffer text = Eio3TextFraming.INSTANCE.encode(packets).bytes();
        String payload = StandardCharsets.US_ASCII.decode(text).toString(); // ASCII: no U+2028/U+2029 to escape either
        String script = "___eio[" + index + "](" + JsonValue.string(payload).json() + ");";
        return new Body("text/javascript; charset=UTF-8", ByteBuffer.wrap(script.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public List<EioPacket> decode(byte[] body, String contentType) throws MalformedPacketException {
        String form = Eio4Framing.utf8(body);
        String d = null;
        for (String field : form.split("&")) {
            if (field.startsWith("d=")) {
                try {
                    d = URLDecoder.decode(field.substring(2), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new MalformedPacketException("form field d is not URL-encoded");
                }
                break;
            }
        }
        if (d == null) {
            throw new MalformedPacketException("JSONP POST without the form field d");
        }
        return Eio3TextFraming.decodeText(unescapeNewlines(d));
    }

    /** The client's newline escaping undone: {@code \\n} → {@code \n} (two characters), {@code \n} → a newline. */
    static String unescapeNewlines(String d) {
        StringBuilder sb = new StringBuilder(d.length());
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (c == '\\' && d.startsWith("\\\\n", i)) {
                sb.append("\\n");
                i += 2;
            } else if (c == '\\' && d.startsWith("\\n", i)) {
                sb.append('\n');
                i += 1;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
