package org.sigbridge.web.socketio.sio.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.fuzz.Fuzz;
import org.sigbridge.web.socketio.eio.codec.MalformedPacketException;

/** Socket.IO protocol v5 packets as socket.io-client 4.x writes and reads them (docs/dialects.md §7.3). */
class SioCodecTest {

    @Test
    void decodesAConnectWithAuthAndWithout() throws Exception {
        SioPacket plain = SioCodec.decode("0");
        assertEquals(SioPacket.Type.CONNECT, plain.type());
        assertEquals("/", plain.namespace());
        assertNull(plain.data());
        SioPacket auth = SioCodec.decode("0/chat,{\"token\":\"t\"}");
        assertEquals("/chat", auth.namespace());
        assertEquals("{\"token\":\"t\"}", auth.data().json());
    }

    @Test
    void decodesEventsWithTheirAckIdsAndRawArguments() throws Exception {
        SioPacket e = SioCodec.decode("21[\"message\",{\"sender\":\"alice\",\"message\":{\"sdp\":\"v=0\"}}, 2 ,\"x\",[1,{}],null]");
        assertEquals(SioPacket.Type.EVENT, e.type());
        assertEquals(1, e.ackId());
        assertEquals("message", e.eventName());
        assertEquals(List.of("{\"sender\":\"alice\",\"message\":{\"sdp\":\"v=0\"}}", "2", "\"x\"", "[1,{}]", "null"),
                e.eventArgs().stream().map(JsonValue::json).toList());
        SioPacket ns = SioCodec.decode("2/room9,[\"message\",1]");
        assertEquals("/room9", ns.namespace());
        assertEquals(-1, ns.ackId());
        assertEquals(SioPacket.Type.ACK, SioCodec.decode("3/a,12[]").type());
        assertEquals(2, SioCodec.decode("51-[\"up\",{\"_placeholder\":true,\"num\":0}]").type().ordinal() - 3);
    }

    @Test
    void encodesAsTheReferenceServer() {
        assertEquals("0{\"sid\":\"abc\"}", SioCodec.encode(SioPacket.connect("/", new JsonValue("{\"sid\":\"abc\"}"))));
        assertEquals("0/x,{\"sid\":\"abc\"}", SioCodec.encode(SioPacket.connect("/x", new JsonValue("{\"sid\":\"abc\"}"))));
        assertEquals("2[\"message\",{\"a\":1}]", SioCodec.encode(SioPacket.event("/", -1, "message", List.of(new JsonValue("{\"a\":1}")))));
        assertEquals("3/x,7[null]", SioCodec.encode(SioPacket.ack("/x", 7, List.of(JsonValue.nullValue()))));
        assertEquals("4{\"message\":\"no\"}", SioCodec.encode(SioPacket.connectError("/", "no")));
        assertEquals("1/x,", SioCodec.encode(SioPacket.disconnect("/x")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "9", "x", "2", "2{}", "2[]", "2[1]", "2[\"a\"", "2[\"a\"]x", "0[1]", "1{}", "3[1]",
            "01{}", "2123456789012345678[\"a\"]", "5[\"a\"]", "5x-[\"a\"]", "4", "2/chat[\"a\"]", "2[\"a\",]"})
    void refusesMalformedPackets(String text) {
        assertThrows(MalformedPacketException.class, () -> SioCodec.decode(text), text);
    }

    /** 100,000 fuzzed packets at scale 1 (docs/fuzzing.md): each decodes, the same way twice, or is refused. */
    @Test
    void randomInputIsDecodedOrRefusedNeverThrowsAnythingElse() {
        Fuzz.strings(List.of("0", "0/chat,{\"token\":\"t\"}", "21[\"message\",{\"sender\":\"alice\"}, 2 ,\"x\",[1,{}],null]",
                        "2/room9,[\"message\",1]", "3/a,12[]", "51-[\"up\",{\"_placeholder\":true,\"num\":0}]", "4{\"message\":\"no\"}", "1/x,"))
                .alphabet("0123456789/,[]{}\"\\:-abn ").tries(100_000).seed(13).refusal(MalformedPacketException.class)
                .check("sio packet", text -> assertEquals(SioCodec.decode(text), SioCodec.decode(text)))
                .assertEachAtLeast(0.05);
    }

    /**
     * A packet decoded where it lies in a WebSocket frame's text ({@code 4…}, from index 1) is the packet decoded from
     * a copy, or refused with the same message: 100,000 fuzzed packets.
     */
    @Test
    void decodingInPlaceIsDecodingACopy() {
        Fuzz.strings(List.of("0", "0/chat,{\"token\":\"t\"}", "21[\"message\",{\"sender\":\"alice\"}, 2 ,\"x\",[1,{}],null]",
                        "2/room9,[\"message\",1]", "3/a,12[]", "51-[\"up\",{\"_placeholder\":true,\"num\":0}]", "1/x,", ""))
                .alphabet("0123456789/,[]{}\"\\:-abn ").tries(100_000).seed(14).refusal(MalformedPacketException.class)
                .check("sio packet in place", text -> {
                    SioPacket copy;
                    try {
                        copy = SioCodec.decode(text, SioProtocol.V5);
                    } catch (MalformedPacketException refused) {
                        MalformedPacketException inPlace = assertThrows(MalformedPacketException.class,
                                () -> SioCodec.decode("4" + text, 1, SioProtocol.V5), text);
                        assertEquals(refused.getMessage(), inPlace.getMessage(), text);
                        throw refused;
                    }
                    assertEquals(copy, SioCodec.decode("4" + text, 1, SioProtocol.V5), text);
                })
                .assertEachAtLeast(0.05);
    }
}
