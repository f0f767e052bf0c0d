package org.sigbridge.web.socketio.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.web.socketio.sio.SioSocket;
import org.sigbridge.web.socketio.sio.codec.SioCodec;
import org.sigbridge.web.socketio.sio.codec.SioPacket;

/**
 * The relay's hot path as docs/benchmarks.md ("socket.io 4") describes it, pinned by structure, not by time: an incoming
 * {@code message} event is parsed once (the codec's pass also reads the first argument's {@code sender}; the relay's
 * classes parse no JSON), and an outgoing one is one frame, encoded once and shared by the members of a namespace.
 */
class RelayHotPathTest {

    @Test
    void theCodecsOnePassReadsTheFirstArgumentsSender() throws Exception {
        SioPacket p = SioCodec.decode("2[\"message\",{\"to\":{\"sender\":\"inner\"},\"sender\":1,\"x\":[1,{\"a\":2}],\"sender\":\"bob\"},\"more\"]");
        assertNotNull(p.argSender(), "an EVENT decoded by the codec carries what its pass read");
        assertTrue(p.argSender().object());
        assertEquals("\"bob\"", p.argSender().value().json(), "the top-level field, the last one when repeated (JSON.parse)");
        assertEquals(List.of("\"message\"", "{\"to\":{\"sender\":\"inner\"},\"sender\":1,\"x\":[1,{\"a\":2}],\"sender\":\"bob\"}", "\"more\""),
                p.items().stream().map(JsonValue::json).toList(), "the elements are still sliced verbatim");
        assertSame(p.argSender(), p.firstArgSender());

        assertNull(SioCodec.decode("2[\"message\",{\"channel\":\"c\"}]").argSender().value());
        assertTrue(SioCodec.decode("2[\"message\",{ \"sender\" : [\"a\"] }]").argSender().value().json().equals("[\"a\"]"));
        assertFalse(SioCodec.decode("2[\"message\",\"{\\\"sender\\\":\\\"x\\\"}\"]").argSender().object(), "a string is not an object");
        assertFalse(SioCodec.decode("2[\"message\"]").argSender().object());
        assertNull(SioCodec.decode("31[{\"sender\":\"x\"}]").argSender(), "only events are read");
    }

    @Test
    void aPacketNoCodecPassReadIsReadOnceOnDemand() {
        SioPacket built = new SioPacket(SioPacket.Type.EVENT, "/", -1, 0, null,
                List.of(JsonValue.string("message"), new JsonValue("{\"sender\":\"carol\"}")));
        assertNull(built.argSender());
        assertEquals("\"carol\"", built.firstArgSender().value().json());
        assertFalse(new SioPacket(SioPacket.Type.EVENT, "/", -1, 0, null, List.of(JsonValue.string("message"), JsonValue.number(3)))
                .firstArgSender().object());
    }

    @Test
    void theRelayParsesNoJsonItself() throws Exception {
        List<Path> classes = relayClasses();
        assertTrue(classes.size() >= 2, "MessageRelay and its member: " + classes);
        for (Path c : classes) {
            String bytes = new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1);
            for (String parser : List.of("org/sigbridge/envelope/JsonObjectReader", "com/fasterxml/jackson/core/JsonParser",
                    "com/fasterxml/jackson/databind")) {
                assertFalse(bytes.contains(parser), c.getFileName() + " refers to " + parser
                        + ": the relay would parse the event a second time; read SioPacket.firstArgSender() instead");
            }
        }
    }

    @Test
    void theSocketIoLayerReadsAWebSocketFramesDataInPlace() {
        assertTrue(org.sigbridge.web.socketio.engine.InPlaceText.class.isAssignableFrom(org.sigbridge.web.socketio.sio.SioConnection.class),
                "EioSession.onMessageFrame would copy every frame's data out for a layer that does not read in place");
    }

    @Test
    void anEventFrameIsTheEncodedPacketInOnePass() {
        List<JsonValue> args = List.of(new JsonValue("{\"sender\":\"a\",\"message\":\"é \\u2028 ☃\"}"));
        for (String namespace : List.of("/", "/chat")) {
            byte[] expected = ("4" + SioCodec.encode(SioPacket.event(namespace, -1, "message", args))).getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(expected, SioSocket.eventFrame(namespace, "message", args), namespace);
        }
    }

    private static void assertSame(Object expected, Object actual) {
        org.junit.jupiter.api.Assertions.assertSame(expected, actual, "decoded once, not again on demand");
    }

    private static List<Path> relayClasses() throws URISyntaxException, IOException {
        Path dir = Path.of(MessageRelay.class.getResource("MessageRelay.class").toURI()).getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("MessageRelay")).toList();
        }
    }
}
