package org.sigbridge.web.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
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

    /**
     * What the differential test cannot compare with the reference: in a one-way session a participation request reaches
     * the owner only; {@code changed-uuid} to an id in use is refused with {@code userid-already-taken}; the owner's
     * {@code close-entire-session} tells the other participants {@code closed-entire-session(roomid, extra)} and the
     * room is gone (docs/socketio.md, "RTCMultiConnection").
     */
    @Test
    void oneWaySessionsRenamesAndClosingTheEntireSession() throws Exception {
        try (TestBridge bridge = TestBridge.start()) {
            List<JsonNode> l = NodeClient.run(bridge.port(), "rmc-more", "websocket");
            String all = l.toString();
            assertEquals("[true]", l.get(0).get("open").toString(), all);
            assertEquals("[[true],[true]]", l.get(1).get("joins").toString(), all);
            assertEquals("{\"remoteUserId\":\"ann\",\"message\":{\"newParticipationRequest\":true},\"sender\":\"cat\",\"extra\":{\"n\":\"cat\"}}",
                    l.get(2).get("request").toString(), all);
            assertEquals("[]", l.get(3).get("benHeard").toString(), "a one-way session's request reaches its owner only " + all);
            assertEquals("[]", l.get(4).get("rename").toString(), all);
            assertEquals(1, l.get(4).get("catHeard").size(), all);
            assertEquals("[\"userid-already-taken\",\"ann\"]", l.get(4).get("catHeard").get(0).toString().replaceAll(",\"[0-9]+\"]$", "]"),
                    "a rename to a taken id is refused " + all);
            assertEquals("[true]", l.get(5).get("close").toString(), all);
            assertEquals("[\"w1\",{\"n\":\"ann\"}]", l.get(5).get("ben").toString(), all);
            assertEquals("[\"w1\",{\"n\":\"ann\"}]", l.get(5).get("cat").toString(), all);
            assertEquals("[false,\"w1\",{\"_room\":{\"isFull\":false,\"isPasswordProtected\":false}}]", l.get(6).get("presence").toString(), all);
            assertEquals("[]", l.get(6).get("annHeard").toString(), "the owner is not told its own close " + all);
        }
    }
}
