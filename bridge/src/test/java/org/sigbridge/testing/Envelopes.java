package org.sigbridge.testing;

import java.time.Instant;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;

/** Test data: envelopes with sensible defaults. */
public final class Envelopes {

    private static final java.util.concurrent.atomic.AtomicLong SEQ = new java.util.concurrent.atomic.AtomicLong();

    private Envelopes() {
    }

    /** An envelope on {@code channel} from endpoint {@code from} (adapter {@code web}), sender = endpoint id. */
    public static Envelope envelope(String channel, String from, String messageJson) {
        return new Envelope("test-" + SEQ.incrementAndGet(), channel, JsonValue.string(from), json(messageJson),
                new Origin("web", from), Instant.now());
    }

    /** Parses JSON text that a test knows to be valid. */
    public static JsonValue json(String text) {
        try {
            return JsonValue.parse(text);
        } catch (InvalidJsonException e) {
            throw new IllegalArgumentException("test JSON is invalid: " + text, e);
        }
    }
}
