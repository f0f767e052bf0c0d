package org.sigbridge.web.classic.frames;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.sigbridge.testing.fuzz.Bounded;
import org.sigbridge.testing.fuzz.FuzzText;

/**
 * Fuzzes the channels / envelope frame parser (docs/dialects.md §2.2) with frames over its own key vocabulary,
 * mutations of them, double-encoded frames and arbitrary text, in every dialect mode: every input gives a frame or
 * an error frame's code and detail (the protocol answer), never an exception, within {@link Bounded#PER_INPUT}.
 * Long run: docs/reliability.md.
 */
class FrameParserFuzzTest {

    private static final List<String> KEYS = List.of("open", "checkPresence", "leave", "presence", "channel", "data",
            "message", "sender", "id", "userid", "isChannelPresent");

    @Property
    void everyFrameIsReadOrAnsweredWithAnErrorCode(@ForAll long seed) {
        FuzzText g = new FuzzText(seed);
        String text = frame(g);
        Mode dialect = g.pick(Mode.values());
        ParseResult result = Bounded.call(text, () -> FrameParser.parse(text, dialect));
        assertNotNull(result, text);
        Statistics.collect(result instanceof ParseResult.Bad bad ? "error " + bad.code().wire()
                : ((ParseResult.Parsed) result).frame().getClass().getSimpleName());
        if (result instanceof ParseResult.Bad bad) {
            assertFalse(bad.code().wire().isEmpty(), text);
            assertFalse(bad.detail().isEmpty(), text);
        } else {
            assertNotNull(((ParseResult.Parsed) result).frame(), text);
        }
    }

    static String frame(FuzzText g) {
        return switch (g.below(10)) {
            case 0, 1, 2, 3 -> g.jsonObject(KEYS, 3);
            case 4, 5, 6 -> g.mutate(g.jsonObject(KEYS, 3));
            case 7 -> FuzzText.quote(g.jsonObject(KEYS, 2));
            case 8 -> g.jsonValue(KEYS, 2);
            default -> g.anyString(64);
        };
    }
}
