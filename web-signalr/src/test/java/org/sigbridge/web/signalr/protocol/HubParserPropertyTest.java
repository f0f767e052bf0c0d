package org.sigbridge.web.signalr.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.sigbridge.envelope.JsonValue;

/**
 * The hub protocol's readers on random input, 120,000 tries in all: every text either reads or is refused with
 * {@link HubProtocolException} (nothing else is thrown), and what is read is bounded by the input: no more records
 * than separators, no record longer than the limit, no more arguments than the record has characters, and every
 * frame the server would write back for it is valid JSON no longer than the input plus a constant.
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

    @Property(tries = 60_000)
    @StatisticsReport(onFailureOnly = true)
    void splittingAndReadingAFrameOnlyEverThrowsTheProtocolError(@ForAll("frames") String frame) {
        List<String> records;
        try {
            records = HubRecords.split(frame, MAX_RECORD);
        } catch (HubProtocolException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
            Statistics.collect("frame refused");
            return;
        }
        Statistics.collect("frame split");
        long separators = frame.chars().filter(c -> c == HubRecords.RS).count();
        assertTrue(records.size() >= 1 && records.size() <= separators, frame);
        for (String record : records) {
            assertTrue(HubRecords.utf8Length(record, 0, record.length()) <= MAX_RECORD);
            readAndAnswer(record);
        }
    }

    @Property(tries = 60_000)
    @StatisticsReport(onFailureOnly = true)
    void readingAnyRecordOnlyEverThrowsTheProtocolError(@ForAll("records") String record) {
        Statistics.collect(readAndAnswer(record));
        // Both outcomes must be exercised, or the property could pass on inputs that never reach the reader's paths.
        Statistics.coverage(c -> {
            c.check("read").percentage(p -> p > 5);
            c.check("refused").percentage(p -> p > 5);
        });
    }

    /** Reads a record as the handshake and as a hub message; answers {@code read} or {@code refused} for the latter. */
    private static String readAndAnswer(String record) {
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
            return "read";
        } catch (HubProtocolException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
            String close = HubFrames.close("Connection closed with an error. InvalidDataException: " + e.getMessage());
            assertTrue(close.length() <= 6 * record.length() + 400, close);
            return "refused";
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

    @Provide
    Arbitrary<String> records() {
        Arbitrary<String> mutated = Combinators.combine(Arbitraries.of(SEEDS), edits()).as(HubParserPropertyTest::mutate);
        Arbitrary<String> random = Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMaxLength(80);
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(60);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, mutated), net.jqwik.api.Tuple.of(2, random), net.jqwik.api.Tuple.of(1, anyText));
    }

    @Provide
    Arbitrary<String> frames() {
        Arbitrary<String> joined = records().list().ofMinSize(1).ofMaxSize(4).map(list -> String.join(RS, list) + RS);
        Arbitrary<String> big = Arbitraries.of(SEEDS).map(s -> s.replace("\"Send\"", "\"" + "S".repeat(600) + "\"") + RS);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, joined), net.jqwik.api.Tuple.of(3, records()),
                net.jqwik.api.Tuple.of(1, big));
    }

    private static Arbitrary<List<int[]>> edits() {
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, ALPHABET.length() - 1)).as((kind, at, c) -> new int[] {kind, at, c});
        return edit.list().ofMinSize(0).ofMaxSize(4);
    }

    private static String mutate(String seed, List<int[]> edits) {
        StringBuilder sb = new StringBuilder(seed);
        for (int[] e : edits) {
            if (sb.length() == 0) {
                break;
            }
            int at = e[1] % sb.length();
            char c = ALPHABET.charAt(e[2]);
            switch (e[0]) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, c);
                case 2 -> sb.setCharAt(at, c);
                default -> sb.setLength(at);
            }
        }
        return sb.toString();
    }
}
