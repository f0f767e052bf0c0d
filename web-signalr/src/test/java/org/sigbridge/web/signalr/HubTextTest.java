package org.sigbridge.web.signalr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sigbridge.envelope.JsonValue;

/** How {@code Send(text)} maps onto channels and back (docs/signalr.md#channels). */
class HubTextTest {

    private static final String FALLBACK = "signalr/h";

    @Test
    void theSeedsMessageAndChannelJsonGoesOnItsChannelWithEveryKeyKept() {
        String text = "{\"message\":{\"sdp\":\"v=0\"},\"channel\":\"room1\",\"userid\":7}";
        HubText.Routed routed = HubText.route(text, FALLBACK);
        assertEquals(new HubText.Routed("room1", new JsonValue(text)), routed);
        assertEquals(text, HubText.delivered("room1", routed.message(), FALLBACK));
    }

    @Test
    void otherTextGoesOnTheFallbackChannelAsAStringAndComesBackExact() {
        for (String text : new String[] {"hello", "{\"channel\":\"no message key\"}", "{\"message\":1,\"channel\":\"\"}",
                "{\"message\":1,\"channel\":5}", "{broken", " [1,2] "}) {
            HubText.Routed routed = HubText.route(text, FALLBACK);
            assertEquals(new HubText.Routed(FALLBACK, JsonValue.string(text)), routed, text);
            assertEquals(text, HubText.delivered(FALLBACK, routed.message(), FALLBACK), text);
        }
    }

    @Test
    void routedByHubEveryTextIncludingTheSeedsGoesOnTheHubChannelAndComesBackExact() {
        for (String text : new String[] {"{\"message\":{\"sdp\":\"v=0\"},\"channel\":\"room1\"}", "hello"}) {
            HubText.Routed routed = HubText.route(text, FALLBACK, true);
            assertEquals(new HubText.Routed(FALLBACK, JsonValue.string(text)), routed, text);
            assertEquals(text, HubText.delivered(FALLBACK, routed.message(), FALLBACK), text);
        }
        assertEquals("room1", HubText.route("{\"message\":1,\"channel\":\"room1\"}", FALLBACK, false).channel());
    }

    @Test
    void anEnvelopeFromAnotherDialectBecomesMessageAndChannel() {
        assertEquals("{\"message\":{\"a\":1},\"channel\":\"room1\"}", HubText.delivered("room1", new JsonValue("{\"a\":1}"), FALLBACK));
        assertEquals("{\"message\":\"hi\",\"channel\":\"room1\"}", HubText.delivered("room1", JsonValue.string("hi"), FALLBACK));
    }
}
