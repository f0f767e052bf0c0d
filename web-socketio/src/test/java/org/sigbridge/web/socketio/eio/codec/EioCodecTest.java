package org.sigbridge.web.socketio.eio.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.fuzz.Fuzz;

/** Engine.IO 4 packets and polling payloads (docs/dialects.md §7.3). */
class EioCodecTest {

    @Test
    void decodesEachPacketType() throws Exception {
        assertEquals(new EioPacket(EioPacket.Type.PING, "probe"), EioCodec.decode("2probe"));
        assertEquals(new EioPacket(EioPacket.Type.PONG, ""), EioCodec.decode("3"));
        assertEquals(EioPacket.message("2[\"a\"]"), EioCodec.decode("42[\"a\"]"));
        assertEquals(new EioPacket(EioPacket.Type.UPGRADE, ""), EioCodec.decode("5"));
        assertEquals(EioPacket.BINARY, EioCodec.decode("bAQID"));
        assertTrue(EioCodec.decode("bAQID").binary());
    }

    @Test
    void splitsAndJoinsPollingPayloadsOnTheRecordSeparator() throws Exception {
        assertEquals(List.of(EioPacket.message("0"), EioPacket.message("2[\"a\","), EioPacket.message("2[1]")),
                EioCodec.decodePayload("40\u001e42[\"a\",\u001e42[1]"));
        assertEquals("40{\"sid\":\"x\"}\u001e42[\"a\",1]", EioCodec.encodePayload(List.of("40{\"sid\":\"x\"}", "42[\"a\",1]")));
        assertEquals("6", EioCodec.encode(EioPacket.NOOP));
        assertEquals("1", EioCodec.encode(EioPacket.CLOSE));
    }

    @Test
    void refusesWhatIsNoPacket() {
        for (String bad : List.of("", "7", "x", "\u001e", "40\u001e", "\u001e40", "40\u001e\u001e42[]", "9hello")) {
            assertThrows(MalformedPacketException.class, () -> EioCodec.decodePayload(bad), bad);
        }
    }

    /** 100,000 fuzzed payloads at scale 1 (docs/fuzzing.md): each decodes, one packet per record, or is refused. */
    @Test
    void randomPayloadsDecodeOrAreRefusedNeverThrowAnythingElse() {
        Fuzz.strings(List.of("40\u001e42[\"a\",\u001e42[1]", "2probe", "3", "bAQID", "6", "1", "5"))
                .alphabet("0123456789b\u001e[]\"x").tries(100_000).seed(4).refusal(MalformedPacketException.class)
                .check("eio4 payload", payload -> assertEquals(payload.chars().filter(c -> c == EioCodec.SEPARATOR).count() + 1,
                        EioCodec.decodePayload(payload).size()))
                .assertEachAtLeast(0.1);
    }
}
