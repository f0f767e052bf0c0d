package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.sigbridge.web.signalr.protocol.HubProtocolException;

/**
 * The classic SignalR 2 readers on 40,000 random inputs: a hub invocation or {@code connectionData} either reads or
 * is refused with {@link HubProtocolException}; nothing else is thrown, and what is read is bounded by the input.
 */
class ClassicParserPropertyTest {

    private static final String ALPHABET = "{}[]\",:\\ HMAIname0123-.etrue\u00e9\ud83d\ude00\u0000";

    @Property(tries = 20_000)
    void aHubInvocationReadsOrIsRefused(@ForAll("texts") String text) {
        try {
            ClassicProtocol.Invocation call = ClassicProtocol.invocation(text);
            assertTrue(call.arguments().size() <= text.length() && call.id().length() <= text.length() + 20);
            assertTrue(ClassicProtocol.error(call.id(), "x").length() <= 6 * text.length() + 40);
        } catch (HubProtocolException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        }
    }

    @Property(tries = 20_000)
    void connectionDataReadsOrIsRefused(@ForAll("texts") String text) {
        try {
            assertTrue(ClassicProtocol.hubs(text).size() <= text.length());
        } catch (HubProtocolException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        }
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> shaped = Arbitraries.of("{\"H\":\"h\",\"M\":\"send\",\"A\":[\"x\"],\"I\":0}", "[{\"name\":\"webrtchub3\"}]",
                "{\"H\":\"h\",\"M\":\"m\",\"A\":[1,{\"a\":[]}],\"I\":\"7\"}").flatMap(seed ->
                Arbitraries.integers().between(0, seed.length()).flatMap(cut ->
                        Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMaxLength(6)
                                .map(insert -> seed.substring(0, cut) + insert + seed.substring(Math.min(seed.length(), cut + insert.length() % 3)))));
        return Arbitraries.oneOf(shaped, Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMaxLength(60),
                Arbitraries.strings().all().ofMaxLength(40));
    }
}
