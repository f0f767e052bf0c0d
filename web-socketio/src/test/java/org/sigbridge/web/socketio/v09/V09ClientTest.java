package org.sigbridge.web.socketio.v09;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sigbridge.testkit.peers.FreePorts;
import org.sigbridge.testkit.web.WsClient;
import org.sigbridge.web.TestBridge;

/**
 * The real socket.io-client 0.9.16 in Node (xhr-polling) against the bridge (docs/socketio-09.md): the plain broadcast
 * relay, Reliable-Signaler's acks, socketio-over-nodejs's event sequence, a 0.9 page and a channels page on one channel,
 * and the differential checks against the real socket.io 0.9.19 server running a replica of socketio-over-nodejs and
 * Reliable-Signaler's own server logic.
 */
class V09ClientTest {

    @Test
    void twoClientsRelayOnTheRootNamespace() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> lines = Node09.run(bridge.port(), "relay");
            assertEquals("{\"sender\":\"alice\",\"channel\":\"room1\",\"message\":{\"sdp\":\"v=0\",\"n\":1}}",
                    lines.get(0).get("received").toString());
            assertEquals("\"plain text\"", lines.get(1).get("back").toString(), "a send() is heard as the message event");
            assertEquals("{\"aHeardOwn\":false}", lines.get(2).toString());
        }
    }

    @Test
    void reliableSignalerAcksAndAnsweredQuestions() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> lines = Node09.run(bridge.port(), "reliable");
            assertEquals("{\"kept\":[]}", lines.get(0).toString(), "keep-in-server acks with no arguments");
            assertEquals("{\"info\":[\"roomR\"]}", lines.get(1).toString(), "get-session-info answers when the room appears");
            assertEquals("{\"again\":[\"roomR\"]}", lines.get(2).toString(), "and at once once it is there");
        }
    }

    @Test
    void socketioOverNodejsEventSequence() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> lines = Node09.run(bridge.port(), "overnodejs");
            assertEquals(List.of(
                    "[\"b\",\"presence\",true]",
                    "[\"b\",\"presence\",false]",
                    "[\"b\",\"message\",{\"sender\":\"alice\",\"message\":\"hi\"}]",
                    "[\"a\",\"message\",{\"sender\":\"bob\",\"message\":\"hello\"}]",
                    "[\"a\",\"user-left\",\"bob\"]",
                    "[\"b\",\"presence\",false]"),
                    lines.subList(0, 6).stream().map(l -> l.get("t").toString()).toList());
        }
    }

    @Test
    void aZeroNinePageAndAChannelsPageShareAChannel() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             Node09 page = Node09.start("scenario09.js", "http://127.0.0.1:" + bridge.port() + "/", "channel-page");
             WsClient channels = WsClient.connect(bridge.ws("/ws/channels"))) {
            channels.send("{\"open\":true,\"channel\":\"mixed\"}");
            assertEquals("{\"ready\":true}", page.next(20).toString());
            channels.send("{\"channel\":\"mixed\",\"data\":{\"sdp\":\"offer\"}}");
            assertEquals("{\"heard\":{\"sdp\":\"offer\"}}", page.next(20).toString());
            assertEquals("{\"sender\":\"old-page\",\"message\":\"hello channels page\"}", channels.next(),
                    "the 0.9 page's data reaches the channels page unwrapped");
            page.untilDone();
        }
    }

    /** A 0.9 plain broadcast page and a socket.io 4 client (raw Engine.IO 4 polling) on one channel. */
    @Test
    void aZeroNinePageAndASocketIo4ClientShareAChannel() throws Exception {
        try (TestBridge bridge = TestBridge.start();
             Node09 page = Node09.start("scenario09.js", "http://127.0.0.1:" + bridge.port() + "/", "broadcast-page")) {
            String open = V09ProtocolTest.get(bridge, "/socket.io/?EIO=4&transport=polling&channel=mix4").body();
            String sid = open.substring(open.indexOf("\"sid\":\"") + 7, open.indexOf('"', open.indexOf("\"sid\":\"") + 7));
            String poll = "/socket.io/?EIO=4&transport=polling&sid=" + sid;
            V09ProtocolTest.post(bridge, poll, "40");
            V09ProtocolTest.get(bridge, poll); // the CONNECT answer
            assertEquals("{\"ready\":true}", page.next(20).toString());
            V09ProtocolTest.post(bridge, poll, "42[\"message\",{\"sender\":\"new-page\",\"channel\":\"mix4\",\"message\":\"hello 0.9\"}]");
            assertEquals("{\"heard\":{\"sender\":\"new-page\",\"channel\":\"mix4\",\"message\":\"hello 0.9\"}}", page.next(20).toString());
            assertEquals("42[\"message\",{\"sender\":\"old-page\",\"channel\":\"mix4\",\"message\":\"hello 4.x\"}]",
                    V09ProtocolTest.get(bridge, poll).body());
            page.untilDone();
        }
    }

    /**
     * The differential check: the same scripted 0.9.16 client against the real socket.io 0.9.19 server running a
     * reference's logic (a replica of socketio-over-nodejs's, or Reliable-Signaler's own {@code reliable-signaler.js}
     * from npm) and against the bridge; everything the client observed must be equal.
     */
    @ParameterizedTest
    @CsvSource({"reference-overnodejs.js, transcript", "reference-reliable.js, reliable", "reference-reliable.js, relay"})
    void differentialAgainstTheReferenceServersOnSocketIo0919(String server, String scenario) throws Exception {
        int port = FreePorts.tcpAndUdp();
        List<JsonNode> reference;
        try (Node09 node = Node09.start(server, Integer.toString(port))) {
            node.awaitLine("listening", 20);
            try {
                reference = Node09.run(port, scenario);
            } catch (AssertionError e) {
                throw new AssertionError("against the reference server (its output: " + node.output() + "): " + e.getMessage(), e);
            }
        }
        try (TestBridge bridge = TestBridge.start()) {
            assertEquals(reference, Node09.run(bridge.port(), scenario),
                    "the same scripted 0.9.16 client sees the same events from " + server + " and from the bridge");
        }
    }
}
