package org.sigbridge.web.classic.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.sigbridge.spi.ErrorCode;

/** The pure frame parser: dispatch order, shapes, exact payload text. No I/O. */
class FrameParserTest {

    private static ClientFrame frame(String text, Mode dialect) {
        return assertInstanceOf(ParseResult.Parsed.class, FrameParser.parse(text, dialect)).frame();
    }

    private static ParseResult.Bad bad(String text, Mode dialect) {
        return assertInstanceOf(ParseResult.Bad.class, FrameParser.parse(text, dialect));
    }

    @Test
    void checkPresenceWinsOverOpenAsInTheReference() {
        assertInstanceOf(ClientFrame.CheckPresence.class, frame("{\"open\":true,\"checkPresence\":true,\"channel\":\"c\"}", Mode.CHANNELS));
    }

    @Test
    void openWithASenderMarksAnEnvelopeClient() {
        assertEquals(new ClientFrame.Open("c", true), frame("{\"open\":true,\"channel\":\"c\",\"sender\":1}", Mode.UNDECIDED));
        assertEquals(new ClientFrame.Open("c", false), frame("{\"open\":1,\"channel\":\"c\"}", Mode.UNDECIDED));
    }

    @Test
    void aChannelsSocketMayNameItsSenderInOpenAndResume() {
        assertEquals(new ClientFrame.Open("c", true, "Ann"), frame("{\"open\":true,\"channel\":\"c\",\"sender\":\"Ann\"}", Mode.CHANNELS));
        assertEquals(new ClientFrame.Open("c", false, null), frame("{\"open\":true,\"channel\":\"c\"}", Mode.CHANNELS));
        ClientFrame.Resume r = (ClientFrame.Resume) frame("{\"resume\":{\"channel\":\"c\",\"sender\":\"Ann\"}}", Mode.CHANNELS);
        assertEquals("Ann", r.sender());
        assertEquals(null, ((ClientFrame.Resume) frame("{\"resume\":{\"channel\":\"c\"}}", Mode.CHANNELS)).sender());
        assertEquals(ErrorCode.INVALID_FRAME, bad("{\"open\":true,\"channel\":\"c\",\"sender\":1}", Mode.CHANNELS).code());
        assertEquals(ErrorCode.INVALID_FRAME, bad("{\"open\":true,\"channel\":\"c\",\"sender\":\"\"}", Mode.CHANNELS).code());
        assertEquals(ErrorCode.INVALID_FRAME, bad("{\"resume\":{\"channel\":\"c\",\"sender\":null}}", Mode.CHANNELS).code());
        assertEquals(ErrorCode.TOO_LARGE, bad("{\"open\":true,\"channel\":\"c\",\"sender\":\"" + "x".repeat(FrameParser.MAX_SENDER_CHARS + 1) + "\"}", Mode.CHANNELS).code());
        assertEquals("x".repeat(FrameParser.MAX_SENDER_CHARS), ((ClientFrame.Open) frame("{\"open\":true,\"channel\":\"c\",\"sender\":\""
                + "x".repeat(FrameParser.MAX_SENDER_CHARS) + "\"}", Mode.CHANNELS)).sender());
    }

    /** On a cluster the newest session with a valid tag names the participant (docs/cluster.md §4): the order counts. */
    @Test
    void aResumeKeepsItsSessionsInTheClientsOrder() {
        java.util.List<String> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sent.add("e" + i + "~p~" + java.util.UUID.randomUUID());
        }
        ClientFrame.Resume r = (ClientFrame.Resume) frame("{\"resume\":{\"channel\":\"c\",\"sessions\":["
                + String.join(",", sent.stream().map(s -> "\"" + s + "\"").toList()) + "]}}", Mode.CHANNELS);
        assertEquals(sent, java.util.List.copyOf(r.sessions()));
    }

    @Test
    void channelsPublishKeepsDataTextExactly() {
        ClientFrame.Publish p = (ClientFrame.Publish) frame("{\"channel\":\"c\",\"data\": {\"a\" : 1.50 } ,\"extra\":1}", Mode.UNDECIDED);
        assertEquals(Mode.CHANNELS, p.dialect());
        assertEquals("{\"a\" : 1.50 }", p.message().json());
        assertEquals("null", p.sender().json());
    }

    @Test
    void envelopePublishKeepsSenderAndMessageAndAcceptableId() {
        ClientFrame.Publish p = (ClientFrame.Publish) frame("{\"id\":\"x-1\",\"sender\":7,\"channel\":\"c\",\"message\":\"{\\\"s\\\":1}\"}", Mode.ENVELOPE);
        assertEquals("7", p.sender().json());
        assertEquals("\"{\\\"s\\\":1}\"", p.message().json());
        assertEquals("x-1", p.clientId());
        assertNull(((ClientFrame.Publish) frame("{\"id\":\"bad id\",\"channel\":\"c\",\"message\":1}", Mode.ENVELOPE)).clientId());
    }

    @Test
    void doubleEncodedEnvelopeIsReadAsTheObjectItHolds() {
        ClientFrame.Publish p = (ClientFrame.Publish) frame("\"{\\\"sender\\\":\\\"a\\\",\\\"channel\\\":\\\"c\\\",\\\"message\\\":[1]}\"", Mode.UNDECIDED);
        assertEquals(Mode.ENVELOPE, p.dialect());
        assertEquals("[1]", p.message().json());
    }

    @Test
    void falsyDataIsIgnoredNotRelayed() {
        for (String data : new String[] {"0", "false", "null", "\"\""}) {
            assertInstanceOf(ClientFrame.Ignored.class, frame("{\"channel\":\"c\",\"data\":" + data + "}", Mode.CHANNELS));
        }
    }

    @Test
    void reportsInvalidJsonAndInvalidFrameWithTheClientsId() {
        assertEquals(ErrorCode.INVALID_JSON, bad("{\"channel\":", Mode.UNDECIDED).code());
        assertEquals(ErrorCode.INVALID_FRAME, bad("42", Mode.UNDECIDED).code());
        assertEquals(ErrorCode.INVALID_FRAME, bad("\"just a string\"", Mode.UNDECIDED).code());
        ParseResult.Bad shape = bad("{\"id\":\"e1\",\"channel\":\"c\",\"data\":1}", Mode.ENVELOPE);
        assertEquals(ErrorCode.INVALID_FRAME, shape.code());
        assertEquals("e1", shape.id());
        assertEquals(ErrorCode.INVALID_FRAME, bad("{\"channel\":\"\",\"data\":1}", Mode.CHANNELS).code());
        assertEquals(ErrorCode.TOO_LARGE, bad("{\"open\":true,\"channel\":\"" + "x".repeat(2000) + "\"}", Mode.CHANNELS).code());
    }

    @Test
    void presenceOptInAndLeaveAreRecognised() {
        assertEquals(new ClientFrame.PresenceOptIn(true), frame("{\"presence\":true}", Mode.CHANNELS));
        assertEquals(new ClientFrame.Leave("c"), frame("{\"leave\":true,\"channel\":\"c\"}", Mode.ENVELOPE));
    }
}
