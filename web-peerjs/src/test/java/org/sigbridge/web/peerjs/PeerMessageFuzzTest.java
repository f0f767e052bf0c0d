package org.sigbridge.web.peerjs;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.fuzz.Fuzz;

/**
 * {@link PeerMessage#parse} on 200,000 fuzzed real client frames at scale 1 (docs/fuzzing.md): each either parses
 * into a message whose relayed frame is valid JSON, or is refused with {@link InvalidJsonException}; nothing else is
 * thrown.
 */
class PeerMessageFuzzTest {

    private static final List<String> SEEDS = List.of(
        "{\"type\":\"HEARTBEAT\"}",
        "{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":{\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"},\"type\":\"data\","
                + "\"connectionId\":\"dc_x\",\"label\":\"dc_x\",\"reliable\":true,\"serialization\":\"binary\"}}",
        "{\"type\":\"CANDIDATE\",\"dst\":\"b\\u00e9\",\"payload\":{\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5 typ host\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0},\"type\":\"media\",\"connectionId\":\"mc_1\"}}",
        "{\"type\":\"LEAVE\",\"dst\":null}");
    private static final String ALPHABET = "{}[]\",:\\ \u00e9\ud83d\ude00nulltrue0-1.5e9abcTYPEdst\u0000\n";

    @Test
    void everyMutationParsesOrIsRefusedAsInvalidJson() {
        Fuzz.strings(SEEDS).alphabet(ALPHABET).tries(200_000).seed(14).refusal(InvalidJsonException.class).check("peerjs message", input -> {
            PeerMessage m = PeerMessage.parse(input);
            if (m.dst() != null && m.type() != null) {
                String frame = PeerFrames.relay(m.type(), "alice", m.dst(), m.payload());
                try {
                    assertNotNull(JsonValue.parse(frame), frame);
                } catch (InvalidJsonException e) {
                    throw new AssertionError("the relayed frame is not JSON: " + frame, e);
                }
            }
        }).assertEachAtLeast(0.05);
    }
}
