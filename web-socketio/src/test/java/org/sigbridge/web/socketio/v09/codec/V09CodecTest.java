package org.sigbridge.web.socketio.v09.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.fuzz.Fuzz;
import org.sigbridge.web.socketio.eio.codec.MalformedPacketException;
import org.sigbridge.web.socketio.sio.codec.SioPacket;

/** The Socket.IO 0.9 codecs (docs/socketio-09.md) on the wire forms socket.io 0.9.19 and 0.9.16 use, and a fuzz run. */
class V09CodecTest {

    private static final String M = "\ufffd";

    @Test
    void packetsRoundTrip() throws Exception {
        for (String wire : List.of("1::", "1::/room1", "0::/room2", "2::", "8::", "3:::plain", "3::/r:a:b:c",
                "5:::{\"name\":\"presence\",\"args\":[\"room1\"]}", "5:5+::{\"name\":\"ackme\",\"args\":[\"a1\"]}", "6:::5+[\"a1\",\"x\"]",
                "6:::1", "7:::1+0", "4:1::{\"a\":1}")) {
            assertEquals(wire, V09Codec.encode(V09Codec.decode(wire)), wire);
        }
        V09Packet ack = V09Codec.decode("5:5+::{\"name\":\"ackme\",\"args\":[\"a1\"]}");
        assertEquals(V09Packet.Type.EVENT, ack.type());
        assertEquals(5, ack.id());
        assertTrue(ack.ackData());
        assertEquals("", ack.endpoint());
        V09Packet data = V09Codec.decode("3::/r:a:b:c");
        assertEquals("/r", data.endpoint());
        assertEquals("a:b:c", data.data(), "data runs to the end, colons included");
        assertEquals("7:::1+0", V09Codec.encode(V09Packet.error("", V09Packet.Reason.CLIENT_NOT_HANDSHAKEN, true)));
        assertEquals("7:::0", V09Codec.encode(V09Packet.error("", V09Packet.Reason.TRANSPORT_NOT_SUPPORTED, false)));
    }

    @Test
    void malformedPackets() {
        for (String bad : List.of("", "1", "1:", "9::", "x::", "1-::", "5:a::", "5:+::", "5:1234567890123456::")) {
            assertThrows(MalformedPacketException.class, () -> V09Codec.decode(bad), bad);
        }
    }

    @Test
    void payloadFramingCountsUtf16Units() throws Exception {
        String emoji = "3:::\uD83D\uDE00!"; // a surrogate pair counts 2, as JavaScript's length does
        String payload = V09Codec.encodePayload(List.of("1::/room2", emoji));
        assertEquals(M + "9" + M + "1::/room2" + M + "7" + M + emoji, payload);
        assertEquals(List.of("1::/room2", emoji), V09Codec.decodePayload(payload));
        assertEquals(List.of("2::"), V09Codec.decodePayload("2::"), "a body without the marker is one packet");
        assertEquals("2::", V09Codec.encodePayload(List.of("2::")));
        for (String bad : List.of(M, M + M, M + "x" + M + "2::", M + "9" + M + "2::", M + "3" + M + "2::x", M + "1234567890" + M)) {
            assertThrows(MalformedPacketException.class, () -> V09Codec.decodePayload(bad), bad);
        }
    }

    @Test
    void eventsTranslateToAndFromTheFamiliesPackets() throws Exception {
        SioPacket event = V09Events.toEvent(V09Codec.decode("5:3+:/room1:{\"name\":\"message\",\"args\":[{\"a\":[1,2]}, 7 ,\"x\"]}"));
        assertEquals("/room1", event.namespace());
        assertEquals(3, event.ackId());
        assertEquals("message", event.eventName());
        assertEquals(List.of(new JsonValue("{\"a\":[1,2]}"), new JsonValue("7"), new JsonValue("\"x\"")), event.eventArgs());
        assertFalse(V09Events.toEvent(V09Codec.decode("5:3::{\"name\":\"e\"}")).wantsAck(), "a bare id is acked by the server");
        assertEquals(List.of(JsonValue.string("plain")), V09Events.toEvent(V09Codec.decode("3:::plain")).eventArgs());
        assertEquals(List.of(new JsonValue("{\"j\":true}")), V09Events.toEvent(V09Codec.decode("4:::{\"j\":true}")).eventArgs());
        assertEquals("/", V09Events.toEvent(V09Codec.decode("3:::x")).namespace());

        assertEquals("5::/room1:{\"name\":\"message\",\"args\":[{\"n\":1}]}",
                V09Codec.encode(V09Events.fromSio(SioPacket.event("/room1", -1, "message", List.of(new JsonValue("{\"n\":1}"))))));
        assertEquals("6:::5+[\"a1\",\"x\"]",
                V09Codec.encode(V09Events.fromSio(SioPacket.ack("/", 5, List.of(JsonValue.string("a1"), JsonValue.string("x"))))));
        assertEquals("6::/n:1", V09Codec.encode(V09Events.fromSio(SioPacket.ack("/n", 1, List.of()))));
        for (String bad : List.of("5:::", "5:::[]", "5:::{\"name\":1}", "5:::{\"args\":[]}", "5:::{\"name\":\"a\",\"args\":{}}",
                "5:::{\"name\":\"a\"} x", "4:::", "4:::{", "4:::1 2", "3::")) {
            assertThrows(MalformedPacketException.class, () -> V09Events.toEvent(V09Codec.decode(bad)), bad);
        }
    }

    /**
     * 200,000 fuzzed inputs at scale 1 (docs/fuzzing.md): only MalformedPacketException ever comes out, what decodes
     * re-encodes to the same packet, and an event, message or JSON packet has a family event and back.
     */
    @Test
    void fuzz() {
        Fuzz.strings(List.of("5:1+::{\"name\":\"a\",\"args\":[1]}", "3:::x", "1::/r", M + "3" + M + "2::", "4:::{\"a\":1}", "6:::1+[2]",
                        M + "9" + M + "1::/room2" + M + "7" + M + "3:::\uD83D\uDE00!"))
                .alphabet("0123456789::::++//{}[]\",\\ abnme" + M + M + "\uD83D").tokens(M).tries(200_000).seed(909)
                .refusal(MalformedPacketException.class).check("socket.io 0.9 payload", input -> {
                    for (String text : V09Codec.decodePayload(input)) {
                        V09Packet packet = V09Codec.decode(text);
                        assertEquals(packet, V09Codec.decode(V09Codec.encode(packet)), text);
                        if (packet.type() == V09Packet.Type.EVENT || packet.type() == V09Packet.Type.MESSAGE
                                || packet.type() == V09Packet.Type.JSON) {
                            SioPacket event = V09Events.toEvent(packet);
                            V09Events.fromSio(event); // what a family would echo back has a 0.9 form
                        }
                    }
                }).assertEachAtLeast(0.05);
    }
}
