package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sigbridge.testkit.fuzz.Fuzz;
import org.sigbridge.web.signalr.protocol.HubProtocolException;

/**
 * The classic SignalR 2 readers on 40,000 fuzzed inputs at scale 1 (docs/fuzzing.md): a hub invocation or
 * {@code connectionData} either reads or is refused with {@link HubProtocolException}; nothing else is thrown, and
 * what is read is bounded by the input.
 */
class ClassicParserPropertyTest {

    private static final String ALPHABET = "{}[]\",:\\ HMAIname0123-.etrue\u00e9\ud83d\ude00\u0000";
    private static final List<String> SEEDS = List.of("{\"H\":\"h\",\"M\":\"send\",\"A\":[\"x\"],\"I\":0}",
            "[{\"name\":\"webrtchub3\"}]", "{\"H\":\"h\",\"M\":\"m\",\"A\":[1,{\"a\":[]}],\"I\":\"7\"}");

    @Test
    void aHubInvocationReadsOrIsRefused() {
        fuzz().check("classic invocation", text -> {
            ClassicProtocol.Invocation call = ClassicProtocol.invocation(text);
            assertTrue(call.arguments().size() <= text.length() && call.id().length() <= text.length() + 20);
            assertTrue(ClassicProtocol.error(call.id(), "x").length() <= 6 * text.length() + 40);
        }).assertEachAtLeast(0.02);
    }

    @Test
    void connectionDataReadsOrIsRefused() {
        fuzz().check("classic connectionData", text -> assertTrue(ClassicProtocol.hubs(text).size() <= text.length()))
                .assertEachAtLeast(0.02);
    }

    private static Fuzz<String> fuzz() {
        return Fuzz.strings(SEEDS).alphabet(ALPHABET).tries(20_000).refusal(HubProtocolException.class);
    }
}
