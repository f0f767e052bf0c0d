package org.sigbridge.web.socketio.eio.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Engine.IO 4 polling payloads: UTF-8 text, packets joined by {@code \u001e} both ways (docs/dialects.md §7.3). */
public final class Eio4Framing implements PayloadFraming {

    public static final Eio4Framing INSTANCE = new Eio4Framing();
    private static final byte SEPARATOR = (byte) EioCodec.SEPARATOR;

    private Eio4Framing() {
    }

    @Override
    public Body encode(List<ByteBuffer> packets) {
        int size = Math.max(packets.size() - 1, 0);
        for (ByteBuffer p : packets) {
            size += p.remaining();
        }
        ByteBuffer body = ByteBuffer.allocate(size);
        for (int i = 0; i < packets.size(); i++) {
            if (i > 0) {
                body.put(SEPARATOR);
            }
            body.put(packets.get(i).duplicate());
        }
        return new Body("text/plain; charset=UTF-8", body.flip());
    }

    @Override
    public List<EioPacket> decode(byte[] body, String contentType) throws MalformedPacketException {
        return EioCodec.decodePayload(utf8(body));
    }

    /** Strict UTF-8 decoding of a body. */
    static String utf8(byte[] body) throws MalformedPacketException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedPacketException("body is not UTF-8");
        }
    }
}
