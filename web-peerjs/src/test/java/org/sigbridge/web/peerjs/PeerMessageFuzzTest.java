package org.sigbridge.web.peerjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonValue;

/**
 * {@link PeerMessage#parse} on 200,000 mutations of real client frames: each either parses into a message whose
 * relayed frame is valid JSON, or is refused with {@link InvalidJsonException}; nothing else is thrown.
 */
class PeerMessageFuzzTest {

    private static final String[] SEEDS = {
        "{\"type\":\"HEARTBEAT\"}",
        "{\"type\":\"OFFER\",\"dst\":\"bob\",\"payload\":{\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"},\"type\":\"data\","
                + "\"connectionId\":\"dc_x\",\"label\":\"dc_x\",\"reliable\":true,\"serialization\":\"binary\"}}",
        "{\"type\":\"CANDIDATE\",\"dst\":\"b\\u00e9\",\"payload\":{\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 5 typ host\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0},\"type\":\"media\",\"connectionId\":\"mc_1\"}}",
        "{\"type\":\"LEAVE\",\"dst\":null}",
    };
    private static final String ALPHABET = "{}[]\",:\\ \u00e9\ud83d\ude00nulltrue0-1.5e9abcTYPEdst\u0000\n";

    @Test
    void everyMutationParsesOrIsRefusedAsInvalidJson() {
        SplittableRandom random = new SplittableRandom(14);
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < 200_000; i++) {
            String input = mutate(SEEDS[random.nextInt(SEEDS.length)], random);
            try {
                PeerMessage m = PeerMessage.parse(input);
                if (m.dst() != null && m.type() != null) {
                    String frame = PeerFrames.relay(m.type(), "alice", m.dst(), m.payload());
                    assertNotNull(JsonValue.parse(frame), frame);
                }
                parsed++;
            } catch (InvalidJsonException e) {
                refused++;
            }
        }
        assertEquals(200_000, parsed + refused);
        assertTrue(parsed > 1000 && refused > 1000, "both outcomes exercised: parsed " + parsed + ", refused " + refused);
    }

    private static String mutate(String seed, SplittableRandom random) {
        StringBuilder sb = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 2 -> sb.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                default -> sb.setLength(at);
            }
        }
        return random.nextInt(50) == 0 ? seed : sb.toString();
    }
}
