package org.sigbridge.web.socketio.sio.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonToken;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.fuzz.Fuzz;
import org.sigbridge.web.socketio.eio.codec.MalformedPacketException;

/**
 * {@link EventScanner}, the EVENT fast path of {@link SioCodec}, against the codec's Jackson pass: whatever the scanner
 * accepts, Jackson accepts and reads the same elements and the same sender; whatever it declines goes to Jackson, so
 * nothing it declines changes a verdict or an error message. And it does take the packets pages send.
 */
class EventScannerTest {

    /** What pages send: the relay's message, SDP and ICE text, numbers, nesting, escapes in values, whitespace. */
    private static final List<String> PAGES = List.of(
            "[\"message\",{\"sender\":\"7\",\"channel\":\"room-1\",\"message\":{\"c\":3,\"s\":41,\"t\":812739812731,\"m\":true,\"p\":\"xxxx\"}}]",
            "[\"message\",{\"sender\":\"alice\",\"message\":{\"sdp\":\"v=0\\r\\no=- 46117 2 IN IP4 127.0.0.1\\r\\n\",\"type\":\"offer\"}}]",
            "[\"message\",{\"message\":{\"candidate\":\"candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host\",\"sdpMid\":\"0\","
                    + "\"sdpMLineIndex\":0},\"sender\":42}]",
            "[\"message\",\"a bare string \\u00e9 \\\" \\\\ \\/ \\b\\f\\n\\r\\t\"]",
            "[ \"message\" , { \"sender\" : [ \"a\" , -1.5e+3 , 0 , 0.25 , 1E-2 , true , false , null ] } , 7 ]",
            "[\"open-room\",{\"sessionid\":\"r\",\"session\":{\"audio\":true,\"video\":true},\"extra\":{},\"password\":null}]",
            "[\"message\",{},[],{\"a\":{\"b\":{\"c\":[[[]]]}}}]",
            "[\"message\"]",
            "[\"message\",{\"sender\":\"a\",\"sender\":\"b\"}]",
            "[\"message\",{\"to\":{\"sender\":\"inner\"},\"x\":\"é ☃ \u2028\"}]");

    @Test
    void theScannerTakesWhatPagesSendAndReadsWhatJacksonReads() throws Exception {
        for (String json : PAGES) {
            EventScanner.Scanned scanned = EventScanner.scan(json);
            assertNotNull(scanned, "declined a page's event: " + json);
            assertSame(json, scanned, SioCodec.parse(json, true));
        }
        assertEquals("\"b\"", EventScanner.scan("[\"message\",{\"sender\":\"a\",\"sender\":\"b\"}]").sender().value().json(),
                "the last sender, as JSON.parse keeps");
        assertNull(EventScanner.scan("[\"message\",{\"to\":{\"sender\":\"inner\"}}]").sender().value(), "only the top level");
    }

    @Test
    void whatTheScannerLeavesToJackson() {
        for (String json : List.of("[\"m\",{\"s\\u0065nder\":1}]", "[\"m\",\"tab\tin a string\"]", "[\"m\",01]", "[\"m\",1.]",
                "[\"m\",.5]", "[\"m\",+1]", "[\"m\",NaN]", "[\"m\",\"\\x\"]", "[\"m\",\"\\u12G4\"]", "[\"m\",\"\\u\uff11234\"]",
                "[\"m\",truex]", "[\"m\",1,]", "[\"m\" \"n\"]", "[\"m\"] x", "[\"m\"][", "{\"m\":1}", "\"m\"", "", " ", "[\"m\",{\"a\":1,}]",
                "[\"m\",{'a':1}]", "[\"m\",/*c*/1]", "[\"m\",\"" + "x".repeat(10) + "]", "[\"m\"," + "[".repeat(40) + "]".repeat(40) + "]",
                "[\"m\"," + "1".repeat(EventScanner.MAX_NUMBER + 1) + "]", "\ufeff[\"m\"]", "[\"m\"]\u0000")) {
            assertNull(EventScanner.scan(json), "should go to Jackson: " + json);
        }
    }

    /**
     * The string pass finds quotes and backslashes by searching ahead and keeps what it found for the next string: an
     * escaped quote is not the end, a backslash found ahead belongs to a later string, a control character after an
     * escape is still refused, and a long run of escapes is one string. Each verdict is Jackson's.
     */
    @Test
    void escapesFoundAheadAreReadAsJacksonReadsThem() throws Exception {
        List<String> valid = List.of("[\"m\",\"a\\\"b\"]", "[\"m\",\"\\\\\"]", "[\"m\",\"x\",\"y\",\"z\\n\"]",
                "[\"m\",{\"sender\":\"a\",\"b\":\"\\\"\\\"\\\"\"}]", "[\"m\",\"\\\"\",\"\\\\\",\"\"]",
                "[\"m\",{\"sender\":\"\\u00e9\\\"x\"},\"q\"]", "[\"m\",\"" + "\\n".repeat(10_000) + "\"]",
                "[\"m\",\"" + "\\\"".repeat(1_000) + "\",\"" + "a".repeat(1_000) + "\"]");
        for (String json : valid) {
            EventScanner.Scanned scanned = EventScanner.scan(json);
            assertNotNull(scanned, "declined: " + json);
            assertSame(json, scanned, SioCodec.parse(json, true));
        }
        for (String json : List.of("[\"m\",\"a\\n\u0001\"]", "[\"m\",\"a\\\"]", "[\"m\",\"abc\\", "[\"m\",\"a\\q\"]",
                "[\"m\",{\"a\":\"\\n\",\"b\\n\":1}]", "[\"m\",\"\\u00\"]", "[\"m\",\"x\",\"\u0002\\n\"]")) {
            assertNull(EventScanner.scan(json), "should go to Jackson: " + json);
        }
    }

    @Test
    void fuzzedEventsTheScannerAcceptsAreReadAsJacksonReadsThem() {
        AtomicInteger scanned = new AtomicInteger();
        AtomicInteger declinedButValid = new AtomicInteger();
        Fuzz.strings(PAGES).alphabet("{}[]\",:\\ 0123456789-+.eEabfnlrtsu/\t\u0000\u00e9\uff11").tries(100_000).seed(18)
                .refusal(MalformedPacketException.class)
                .check("event scanner vs Jackson", json -> {
                    EventScanner.Scanned s = EventScanner.scan(json);
                    SioCodec.Parsed jackson = SioCodec.parse(json, true); // throws the refusal when Jackson refuses
                    if (s == null) {
                        if (jackson.kind() == JsonToken.START_ARRAY) {
                            declinedButValid.incrementAndGet();
                        }
                        return;
                    }
                    scanned.incrementAndGet();
                    assertSame(json, s, jackson);
                })
                .assertEachAtLeast(0.05);
        assertTrue(scanned.get() > declinedButValid.get(),
                "the scanner took " + scanned + " valid arrays and left " + declinedButValid + " to Jackson");
    }

    private static void assertSame(String json, EventScanner.Scanned scanned, SioCodec.Parsed jackson) {
        assertEquals(JsonToken.START_ARRAY, jackson.kind(), json);
        assertEquals(jackson.items(), scanned.items(), "elements of " + json);
        assertEquals(jackson.sender(), scanned.sender(), "sender of " + json);
    }
}
