package org.sigbridge.web.signalr.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.testkit.fuzz.Fuzz;
import org.sigbridge.testkit.fuzz.FuzzTally;

/**
 * The hub protocol's readers on fuzzed input (docs/fuzzing.md), 120,000 tries in all at scale 1: every text either
 * reads or is refused with {@link HubProtocolException} (nothing else is thrown), and what is read is bounded by the
 * input: no more records than separators, no record longer than the limit, no more arguments than the record has
 * characters, and every frame the server would write back for it is valid JSON no longer than the input plus a
 * constant.
 */
class HubParserPropertyTest {

    private static final int MAX_RECORD = 512;
    private static final String RS = "\u001e";
    private static final List<String> SEEDS = List.of(
            "{\"protocol\":\"json\",\"version\":1}",
            "{\"type\":1,\"invocationId\":\"0\",\"target\":\"Send\",\"arguments\":[\"{\\\"message\\\":1,\\\"channel\\\":\\\"r\\\"}\"]}",
            "{\"type\":1,\"target\":\"send\",\"arguments\":[\"t\u00e9\ud83d\ude00\"],\"headers\":{}}",
            "{\"type\":4,\"invocationId\":\"3\",\"target\":\"S\",\"arguments\":[1,null,[2]]}",
            "{\"type\":5,\"invocationId\":\"3\"}", "{\"type\":6}", "{\"type\":7,\"error\":\"x\"}", "{\"type\":3,\"invocationId\":\"1\"}");
    private static final String ALPHABET = "{}[]\",:\\ \u001e\u00e9\ud83d\ude00nulltrue0-1.5e9typeargumentsinvocationIdtarget\u0000\n";

    @Test
    void splittingAndReadingAFrameOnlyEverThrowsTheProtocolError() {
        FuzzTally tally = fuzz(frames()).check("hub frame", frame -> {
            List<String> records = HubRecords.split(frame, MAX_RECORD);
            long separators = frame.chars().filter(c -> c == HubRecords.RS).count();
            assertTrue(records.size() >= 1 && records.size() <= separators, frame);
            for (String record : records) {
                assertTrue(HubRecords.utf8Length(record, 0, record.length()) <= MAX_RECORD);
                try {
                    readAndAnswer(record);
                } catch (HubProtocolException refused) {
                    // checked in readAndAnswer; the frame itself was split
                }
            }
        });
        tally.assertEachAtLeast(0.05);
    }

    @Test
    void readingAnyRecordOnlyEverThrowsTheProtocolError() {
        // Both outcomes must be exercised, or the property could pass on inputs that never reach the reader's paths.
        fuzz(SEEDS).check("hub record", HubParserPropertyTest::readAndAnswer).assertEachAtLeast(0.05);
    }

    private static Fuzz<String> fuzz(List<String> corpus) {
        return Fuzz.strings(corpus).alphabet(ALPHABET).tokens(RS, "\"" + "S".repeat(600) + "\"").tries(60_000)
                .refusal(HubProtocolException.class);
    }

    /** Frames: each sample, pairs of samples, and an oversized record, each record ended by the separator. */
    private static List<String> frames() {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < SEEDS.size(); i++) {
            frames.add(SEEDS.get(i) + RS);
            frames.add(SEEDS.get(i) + RS + SEEDS.get((i + 1) % SEEDS.size()) + RS);
        }
        frames.add(SEEDS.get(1).replace("\"Send\"", "\"" + "S".repeat(600) + "\"") + RS);
        return frames;
    }

    /** Reads a record as the handshake and as a hub message; throws the latter's refusal after checking the close frame. */
    private static void readAndAnswer(String record) throws HubProtocolException {
        try {
            HubMessageReader.handshake(record);
        } catch (HubProtocolException e) {
            assertTrue(e.getMessage() != null);
        }
        try {
            HubMessage message = HubMessageReader.read(record);
            String answer = answer(message);
            assertTrue(answer.length() <= 3 * record.length() + 200, answer);
            assertTrue(answer.endsWith(RS), answer);
            assertTrue(JsonValue.parse(answer.substring(0, answer.length() - 1)) != null);
            if (message instanceof HubMessage.Invocation call) {
                assertTrue(call.arguments().size() <= record.length());
            }
        } catch (HubProtocolException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
            String close = HubFrames.close("Connection closed with an error. InvalidDataException: " + e.getMessage());
            assertTrue(close.length() <= 6 * record.length() + 400, close);
            throw e;
        } catch (org.sigbridge.envelope.InvalidJsonException e) {
            throw new AssertionError("the server's answer is not JSON for " + record, e);
        }
    }

    /** What the hub writes back for a message it read: a completion, a broadcast, or a close. */
    private static String answer(HubMessage message) {
        if (message instanceof HubMessage.Invocation call) {
            if (call.arguments().size() == 1 && call.arguments().get(0).isString()) {
                return HubFrames.invocation("onMessageReceived", JsonValue.string(call.arguments().get(0).asText()));
            }
            return HubFrames.completionError(call.invocationId() == null ? "" : call.invocationId(),
                    "Unknown hub method '" + call.target() + "'");
        }
        if (message instanceof HubMessage.StreamInvocation s) {
            return HubFrames.completionError(s.invocationId(), "Unknown hub method '" + s.target() + "'");
        }
        if (message instanceof HubMessage.Close c) {
            return HubFrames.close(c.error());
        }
        return HubFrames.PING;
    }
}
