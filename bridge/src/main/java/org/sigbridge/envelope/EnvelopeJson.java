package org.sigbridge.envelope;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * The envelope's JSON form, {@code {"id":…,"sender":…,"channel":…,"message":…}}, shared by the
 * envelope dialect, the XMPP {@code signal} payload and SIP {@code application/json} bodies.
 * {@code sender} and {@code message} are written back verbatim. Thread-safe.
 */
public final class EnvelopeJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private EnvelopeJson() {
    }

    /** The envelope as one JSON object. */
    public static String write(Envelope envelope) {
        return write(envelope, false);
    }

    /**
     * The envelope as one JSON object, with {@code "to":"<recipient>"} after {@code channel} when it is addressed
     * and {@code withRecipient} is set (SIP {@code application/json} bodies between bridges and UAs; browser frames
     * keep the plain form).
     */
    public static String write(Envelope envelope, boolean withRecipient) {
        StringWriter out = new StringWriter(envelope.message().json().length() + envelope.channel().length() + 64);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("id", envelope.id());
            gen.writeFieldName("sender");
            gen.writeRawValue(envelope.sender().json());
            gen.writeStringField("channel", envelope.channel());
            if (withRecipient && envelope.isAddressed()) {
                gen.writeStringField("to", envelope.recipient());
            }
            gen.writeFieldName("message");
            gen.writeRawValue(envelope.message().json());
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * Reads an envelope object written by {@link #write} or by a client ({@code id} optional).
     *
     * @param ids issues an id when the text has none or an unacceptable one
     * @throws InvalidJsonException if the text is not JSON, not an object, or lacks a string
     *                              {@code channel} or a {@code message}
     */
    public static Envelope read(String text, Origin origin, EnvelopeIds ids, Instant now) throws InvalidJsonException {
        Map<String, JsonValue> fields = JsonObjectReader.readObject(text);
        JsonValue channel = fields.get("channel");
        JsonValue message = fields.get("message");
        if (channel == null || !channel.isString() || channel.asText().isEmpty()) {
            throw new InvalidJsonException("envelope needs a non-empty string \"channel\"");
        }
        if (message == null) {
            throw new InvalidJsonException("envelope needs a \"message\"");
        }
        JsonValue sender = fields.getOrDefault("sender", JsonValue.nullValue());
        return new Envelope(ids.keepOrIssue(fields.get("id")), channel.asText(), sender, message, origin, now);
    }
}
