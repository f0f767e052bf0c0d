package org.sigbridge.web.classic.frames;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.testing.fuzz.Bounded;
import org.sigbridge.testing.fuzz.FuzzRun;
import org.sigbridge.testing.fuzz.FuzzText;

/**
 * Fuzzes the channels / envelope frame parser (docs/dialects.md §2.2) with frames over its own key vocabulary,
 * mutations of them, double-encoded frames and arbitrary text, in every dialect mode: every input gives a frame or
 * an error frame's code and detail (the protocol answer), never an exception, within {@link Bounded#PER_INPUT}; both
 * error codes and every kind of frame occur. Long run: docs/reliability.md.
 */
class FrameParserFuzzTest {

    private static final List<String> KEYS = List.of("open", "checkPresence", "leave", "presence", "channel", "data",
            "message", "sender", "id", "userid", "isChannelPresent");

    @Test
    void everyFrameIsReadOrAnsweredWithAnErrorCode() {
        FuzzRun.Tally tally = FuzzRun.run("FrameParserFuzzTest", 10_000, FrameParserFuzzTest::oneFrame);
        for (String outcome : List.of("error invalid_json", "error invalid_frame", "Open", "CheckPresence", "Leave",
                "PresenceOptIn", "Publish", "Ignored")) {
            assertTrue(tally.count(outcome) > 0, outcome + " never occurred: " + tally);
        }
    }

    private static String oneFrame(long seed) {
        FuzzText g = new FuzzText(seed);
        String text = frame(g);
        Mode dialect = g.pick(Mode.values());
        ParseResult result = Bounded.call(text, () -> FrameParser.parse(text, dialect));
        assertNotNull(result, text);
        if (result instanceof ParseResult.Bad bad) {
            assertFalse(bad.code().wire().isEmpty(), text);
            assertFalse(bad.detail().isEmpty(), text);
            return "error " + bad.code().wire();
        }
        assertNotNull(((ParseResult.Parsed) result).frame(), text);
        return ((ParseResult.Parsed) result).frame().getClass().getSimpleName();
    }

    static String frame(FuzzText g) {
        return switch (g.below(12)) {
            case 0, 1, 2 -> g.jsonObject(KEYS, 3);
            case 3, 4, 5 -> g.mutate(g.jsonObject(KEYS, 3));
            case 6, 7 -> shaped(g);
            case 8 -> g.mutate(shaped(g));
            case 9 -> FuzzText.quote(g.below(2) == 0 ? shaped(g) : g.jsonObject(KEYS, 2));
            case 10 -> g.jsonValue(KEYS, 2);
            default -> g.anyString(64);
        };
    }

    /** A frame of one of the dialect's shapes (docs/dialects.md §2.2) with random values, so the accepting paths run. */
    private static String shaped(FuzzText g) {
        String channel = g.below(4) == 0 ? g.jsonScalar() : g.jsonString();
        String value = g.jsonValue(KEYS, 2);
        return switch (g.below(6)) {
            case 0 -> "{\"open\":" + g.pick("true", "1", "\"yes\"", "false", "0") + ",\"channel\":" + channel
                    + (g.below(2) == 0 ? ",\"sender\":" + g.jsonScalar() : "") + "}";
            case 1 -> "{\"checkPresence\":true,\"channel\":" + channel + "}";
            case 2 -> "{\"leave\":true,\"channel\":" + channel + "}";
            case 3 -> "{\"presence\":" + g.pick("true", "false", "1") + "}";
            case 4 -> "{\"channel\":" + channel + ",\"data\":" + value + "}";
            default -> "{\"sender\":" + g.jsonScalar() + ",\"channel\":" + channel + ",\"message\":" + value
                    + (g.below(2) == 0 ? ",\"id\":" + g.jsonScalar() : "") + "}";
        };
    }
}
