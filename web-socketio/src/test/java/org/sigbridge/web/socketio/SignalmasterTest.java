package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sigbridge.web.TestBridge;

/**
 * The signalmaster family (docs/dialects.md §6.5) against SimpleWebRTC's event sequence, scripted with the
 * socket.io-client 1.7.4 SimpleWebRTC depends on ({@code npm/signalmaster.js}), and the differential check: the same
 * script against the real signal-master 1.0.1 ({@code reference/}, installed from its lock file) gives the same
 * transcript, ids normalised, except where docs/socketio.md says they differ.
 */
class SignalmasterTest {

    private static final String SECRET = "s3cret-shared-with-the-turn-server";
    private static final String CONFIG = "    socketio:\n      signalmaster:\n        stun-servers: [\"stun:stun.l.google.com:19302\"]\n"
            + "        turn-servers: [\"turn:turn.example.org:3478\"]\n        turn-secret: " + SECRET + "\n";

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket", "upgrade"})
    void simpleWebRtcsSequenceGivesSignalMastersTranscript(String mode) throws Exception {
        List<JsonNode> reference = reference("upgrade");
        try (TestBridge bridge = TestBridge.start(CONFIG)) {
            List<JsonNode> ours = script(bridge.port(), mode);
            assertEquals(reference.size(), ours.size(), "same steps:\n" + reference + "\n" + ours);
            for (int i = 0; i < ours.size(); i++) {
                String step = ours.get(i).path("step").asText();
                if (step.endsWith("(differs)")) {
                    // signal-master 1.0.1 answers (null, name) and joins an occupied room; sigbridge answers "taken"
                    assertEquals("[null,\"room1\"]", reference.get(i).get("ack").toString(), step);
                    assertEquals("[\"taken\"]", ours.get(i).get("ack").toString(), step);
                } else {
                    assertEquals(reference.get(i), ours.get(i), step);
                }
            }
        }
    }

    @Test
    void theTranscriptSaysWhatTheSpecSays() throws Exception {
        try (TestBridge bridge = TestBridge.start(CONFIG)) {
            List<JsonNode> l = script(bridge.port(), "websocket");
            assertEquals("[[\"stunservers\",[{\"urls\":\"stun:stun.l.google.com:19302\"}]],[\"turnservers\",[{\"username\":\"<now+86400>\","
                    + "\"credential\":\"<valid>\",\"urls\":[\"turn:turn.example.org:3478\"]}]]]", l.get(0).get("A").toString());
            assertEquals("[null,{\"clients\":{\"A\":{\"screen\":false,\"video\":true,\"audio\":false}}}]", l.get(3).get("ack").toString());
            assertEquals("\"B\"", l.get(4).get("A").get(0).get(1).get("from").toString(), "message.from is the sender's id");
            assertEquals(l.get(7).get("A"), l.get(7).get("B"), "a message to the room reaches the sender too");
            assertTrue(l.get(9).get("ack").toString().contains("\"B\":{\"screen\":true"), l.get(9).toString());
            assertEquals("[[\"remove\",{\"id\":\"C\"}]]", l.get(11).get("A").toString());
            assertEquals("[[\"remove\",{\"id\":\"B\"}]]", l.get(14).get("A").toString(), "a disconnect is a remove to the room");
        }
    }

    @Test
    void aRelayPageOnEngineIo3IsNotTakenForSignalmaster() throws Exception {
        try (TestBridge bridge = TestBridge.start(CONFIG)) {
            List<JsonNode> lines = NodeClient.run(bridge.port(), "namespace", "polling", "1");
            assertEquals("{\"sender\":\"x\",\"channel\":\"anything\",\"message\":1}", lines.get(0).get("received").toString());
        }
    }

    private static List<JsonNode> script(int port, String mode) throws Exception {
        List<JsonNode> lines = NodeClient.runScript(Duration.ofSeconds(40), "signalmaster.js", "http://127.0.0.1:" + port + "/", mode, SECRET);
        lines.remove(lines.size() - 1); // {"done":true}
        return lines;
    }

    /** Runs the script against the real signal-master on a free loopback port. */
    private static List<JsonNode> reference(String mode) throws Exception {
        try (ReferenceServer server = ReferenceServer.start("server.js", "stun:stun.l.google.com:19302", "turn:turn.example.org:3478", SECRET)) {
            return script(server.port(), mode);
        }
    }
}
