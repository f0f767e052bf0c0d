package org.sigbridge.web.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TextFrames} against RFC 6455 §5.2's layout, for each of the three length encodings and their edges. */
class TextFramesTest {

    @Test
    void eachPayloadGetsAnUnmaskedFinalTextHeaderWithItsLengthInTheShortestForm() {
        for (int len : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 70_000}) {
            byte[] payload = new byte[len];
            for (int i = 0; i < len; i++) {
                payload[i] = (byte) ('a' + i % 26);
            }
            ByteBuffer shared = ByteBuffer.wrap(payload);
            List<ByteBuffer> frames = List.of(shared, shared);
            ByteBuffer out = ByteBuffer.allocate(TextFrames.length(frames));
            TextFrames.encode(frames, out);
            assertEquals(0, shared.position(), "the shared payload's position is not moved");
            assertEquals(0, out.position(), "absolute puts");
            for (int k = 0; k < 2; k++) {
                assertEquals((byte) 0x81, out.get(), "FIN and TEXT, length " + len);
                int b1 = out.get() & 0xFF;
                assertEquals(0, b1 & 0x80, "a server's frame is not masked");
                long decoded = b1 & 0x7F;
                if (decoded == 126) {
                    decoded = out.getShort() & 0xFFFF;
                    assertEquals(true, len >= 126 && len <= 65_535, "16-bit length only for 126..65535, not " + len);
                } else if (decoded == 127) {
                    decoded = out.getLong();
                    assertEquals(true, len > 65_535, "64-bit length only above 65535, not " + len);
                } else {
                    assertEquals(true, len < 126, "7-bit length only below 126, not " + len);
                }
                assertEquals(len, decoded);
                byte[] body = new byte[len];
                out.get(body);
                assertArrayEquals(payload, body);
            }
            assertEquals(0, out.remaining(), "length() is what encode() writes");
        }
    }
}
