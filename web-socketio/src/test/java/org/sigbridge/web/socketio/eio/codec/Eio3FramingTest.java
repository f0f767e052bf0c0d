package org.sigbridge.web.socketio.eio.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.fuzz.Fuzz;

/** Engine.IO 3's polling framings (docs/dialects.md §7.2): binary {@code 00 <digits> FF}, text {@code <len>:}. */
class Eio3FramingTest {

    private static final String OCTETS = "application/octet-stream";

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void binaryFramingCountsUtf8BytesWithOneBytePerDigit() throws Exception {
        PayloadFraming.Body body = Eio3BinaryFraming.INSTANCE.encode(List.of(utf8("40"), utf8("42[\"é\"]")));
        assertEquals("application/octet-stream", body.contentType());
        byte[] expected = {0, 2, (byte) 0xFF, '4', '0', 0, 8, (byte) 0xFF, '4', '2', '[', '"', (byte) 0xC3, (byte) 0xA9, '"', ']'};
        assertArrayEquals(expected, bytes(body.bytes()));
        assertEquals(List.of(EioPacket.message("0"), EioPacket.message("2[\"é\"]")), Eio3BinaryFraming.INSTANCE.decode(expected, OCTETS));
        assertEquals(List.of(EioPacket.BINARY), Eio3BinaryFraming.INSTANCE.decode(new byte[] {1, 3, (byte) 0xFF, 4, 1, 2}, OCTETS),
                "a binary part is recognised and its bytes dropped");
    }

    @Test
    void textFramingCountsUtf16UnitsAndEscapesBeyondAscii() throws Exception {
        PayloadFraming.Body body = Eio3TextFraming.INSTANCE.encode(List.of(utf8("6"), utf8("42[\"é😀\"]")));
        assertEquals("1:624:42[\"\\u00e9\\ud83d\\ude00\"]", new String(bytes(body.bytes()), StandardCharsets.US_ASCII));
        assertEquals(List.of(EioPacket.PING, EioPacket.message("2[\"é😀\"]")),
                Eio3TextFraming.INSTANCE.decode("1:29:42[\"é😀\"]".getBytes(StandardCharsets.UTF_8), "text/plain;charset=UTF-8"));
    }

    @Test
    void socketIo1sUtf8LayerIsUndoneAndLatin1TextIsLeftAlone() {
        String layered = new String("2[\"é☃\"]".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertEquals("2[\"é☃\"]", Eio3TextFraming.withoutUtf8Layer(layered));
        assertEquals("2[\"café\"]", Eio3TextFraming.withoutUtf8Layer("2[\"café\"]"), "a lone é is not UTF-8: kept");
        assertEquals("2[\"☃\"]", Eio3TextFraming.withoutUtf8Layer("2[\"☃\"]"), "beyond U+00FF: no layer");
    }

    @Test
    void postsAreReadByTheirContentType() throws Exception {
        assertEquals(List.of(EioPacket.PING), Eio3BinaryFraming.INSTANCE.decode("1:2".getBytes(StandardCharsets.UTF_8), null));
        assertEquals(List.of(EioPacket.PING), Eio3TextFraming.INSTANCE.decode(new byte[] {0, 1, (byte) 0xFF, '2'}, OCTETS));
    }

    @Test
    void jsonpWrapsTheTextPayloadInAScriptAndReadsTheFormFieldD() throws Exception {
        Eio3JsonpFraming jsonp = new Eio3JsonpFraming("3x");
        assertEquals("___eio[3](\"1:6\");", new String(bytes(jsonp.encode(List.of(utf8("6"))).bytes()), StandardCharsets.UTF_8));
        assertEquals("a\nb\\nc", Eio3JsonpFraming.unescapeNewlines("a\\nb\\\\nc"), "\\n is a newline, \\\\n a backslash-n");
        assertEquals(List.of(EioPacket.PING), jsonp.decode("d=1%3A2".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded"));
        assertThrows(MalformedPacketException.class, () -> jsonp.decode("e=1%3A2".getBytes(StandardCharsets.UTF_8), null));
    }

    @Test
    void refusesMalformedLengths() {
        for (String bad : List.of("", "2", ":2", "x:2", "5:2", "12345678901:2", "1:9", "0:", "1:2 ")) {
            assertThrows(MalformedPacketException.class, () -> Eio3TextFraming.INSTANCE.decode(bad.getBytes(StandardCharsets.UTF_8), null), bad);
        }
        for (byte[] bad : List.of(new byte[0], new byte[] {2, 1, (byte) 0xFF, '2'}, new byte[] {0, 1}, new byte[] {0, (byte) 0xFF, '2'},
                new byte[] {0, 10, (byte) 0xFF, '2'}, new byte[] {0, 5, (byte) 0xFF, '2'}, new byte[] {0, 1, (byte) 0xFF, (byte) 0xC3})) {
            assertThrows(MalformedPacketException.class, () -> Eio3BinaryFraming.INSTANCE.decode(bad, OCTETS));
        }
    }

    /**
     * 100,000 fuzzed bodies at scale 1 (docs/fuzzing.md), each read as octets and as text: it decodes or is refused,
     * nothing else; a body is counted refused when both readings refuse it, and some bodies are payloads.
     */
    @Test
    void randomBodiesDecodeOrAreRefusedNeverThrowAnythingElse() {
        byte[] alphabet = {0, 1, 2, 9, (byte) 0xFF, '0', '1', '2', '4', ':', '[', '"', (byte) 0xC3, (byte) 0xA9};
        List<byte[]> corpus = List.of(new byte[] {0, 2, (byte) 0xFF, '4', '0', 0, 8, (byte) 0xFF, '4', '2', '[', '"', (byte) 0xC3,
                (byte) 0xA9, '"', ']'}, new byte[] {1, 3, (byte) 0xFF, 4, 1, 2}, new byte[] {0, 1, (byte) 0xFF, '2'},
                "1:2".getBytes(StandardCharsets.UTF_8), "1:624:42[\"a\"]".getBytes(StandardCharsets.UTF_8));
        Fuzz.bytes(corpus).alphabet(new String(alphabet, StandardCharsets.ISO_8859_1)).tries(100_000).seed(3)
                .refusal(MalformedPacketException.class).check("eio3 body", body -> {
                    MalformedPacketException refused = null;
                    int read = 0;
                    for (String type : new String[] {OCTETS, null}) {
                        try {
                            Eio3BinaryFraming.INSTANCE.decode(body, type);
                            read++;
                        } catch (MalformedPacketException e) {
                            refused = e;
                        }
                    }
                    if (read == 0) {
                        throw refused;
                    }
                }).assertEachAtLeast(0.02);
    }
}
