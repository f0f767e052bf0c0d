package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sigbridge.web.TestBridge;

/**
 * RTCMultiConnection v3's core events (docs/dialects.md §6.4) from the real {@code socket.io-client} 4.8 in Node,
 * emitting what RTCMultiConnection 3.7 emits: presence, open and join with their acks, the participation request
 * fanned out to the room with {@code remoteUserId} rewritten, a per-user message by addressed delivery with
 * {@code user-connected} to both and the sender's {@code extra}, an unknown target reported, a taken userid, a room
 * not available, {@code user-disconnected} when a linked user leaves, and the owner's hand-over.
 */
class RtcMultiConnectionTest {

    @ParameterizedTest
    @ValueSource(strings = {"polling", "websocket"})
    void openJoinAndMessageAsTheReferenceServer(String mode) throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> l = NodeClient.run(bridge.port(), "rmc", mode);
            String all = l.toString();
            assertEquals("[false,\"r1\",{\"_room\":{\"isFull\":false,\"isPasswordProtected\":false}}]", l.get(0).get("presenceBefore").toString(), all);
            assertEquals("[true]", l.get(1).get("open").toString(), all);
            assertEquals("[true,\"r1\",{\"name\":\"A\",\"_room\":{\"isFull\":false,\"isPasswordProtected\":false}}]",
                    l.get(2).get("presenceAfter").toString(), all);
            assertEquals("[true]", l.get(3).get("join").toString(), all);
            assertEquals("{\"remoteUserId\":\"alice\",\"message\":{\"newParticipationRequest\":true},\"sender\":\"bob\",\"extra\":{\"name\":\"B\"}}",
                    l.get(4).get("request").toString(), all);
            assertEquals("\"bob\"", l.get(5).get("aLinked").toString(), all);
            assertEquals("\"alice\"", l.get(5).get("bLinked").toString(), all);
            assertEquals("{\"remoteUserId\":\"bob\",\"message\":{\"sdp\":\"v=0\"},\"sender\":\"alice\",\"extra\":{\"name\":\"A\"}}",
                    l.get(5).get("offer").toString(), all);
            assertEquals("\"carol\"", l.get(6).get("missing").toString(), all);
            assertEquals("\"bob\"", l.get(7).get("taken").toString(), all);
            assertEquals("[false,\"Room not available\"]", l.get(8).get("reopen").toString(), all);
            assertEquals("\"bob\"", l.get(9).get("left").toString(), all);
            assertEquals("[true]", l.get(10).get("carolJoins").toString(), all);
            assertEquals("\"r1\"", l.get(11).get("newOwnerOf").toString(), "the owner left: the first remaining participant owns the room " + all);
            assertEquals("true", l.get(12).get("presenceWithCarol").get(0).toString(), all);
        }
    }
}
