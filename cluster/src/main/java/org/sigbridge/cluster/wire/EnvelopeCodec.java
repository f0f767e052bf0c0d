package org.sigbridge.cluster.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.Participant;
import org.sigbridge.spi.Position;

/**
 * The JSON bodies of {@link BusFrame}s. {@code sender} and {@code message} are written as the raw JSON the client sent
 * and read back as raw text, so a payload crosses instances byte for byte (docs/design.md §2.1). Pure and thread-safe.
 *
 * <p>Envelope: {@code {"id","channel","sender","message","adapter","endpoint","at","to"?,"target"?,"h"?}} where {@code at} is
 * the accepting instance's {@code receivedAt} in epoch milliseconds, {@code to} the recipient of an addressed envelope
 * and {@code target} the instance that holds it there, {@code h} the envelope's stamp on the accepting instance
 * ({@code <history epoch>-<offset>}, docs/design.md §3.8).
 */
public final class EnvelopeCodec {

    private static final JsonFactory JSON = new JsonFactory();

    private EnvelopeCodec() {
    }

    /**
     * An envelope that was read back, with the instance that should deliver it when it is addressed, and its stamp: its
     * mark in the accepting instance's history (docs/design.md §3.8), or {@code null} when that instance keeps none.
     */
    public record Decoded(Envelope envelope, String target, Position.Mark stamp) {
    }

    /** A member change: the endpoint id on its instance and the participant it presents. */
    public record Member(String endpointId, Participant participant) {
    }

    /** A failure notice for an envelope's sender. */
    /** An {@code F} or {@code H} notice's body; {@code recipient} is the addressed envelope's, or {@code null}. */
    public record Failure(String envelopeId, String channel, String adapter, String endpoint, ErrorCode code, String detail,
                          String recipient) {
    }

    public static String writeEnvelope(Envelope e, String target) {
        return writeEnvelope(e, target, null);
    }

    /** {@link #writeEnvelope(Envelope, String)} with the envelope's stamp ({@code "h":"<epoch>-<offset>"}) when not null. */
    public static String writeEnvelope(Envelope e, String target, Position.Mark stamp) {
        return write(g -> {
            g.writeStringField("id", e.id());
            g.writeStringField("channel", e.channel());
            g.writeFieldName("sender");
            g.writeRawValue(e.sender().json());
            g.writeFieldName("message");
            g.writeRawValue(e.message().json());
            g.writeStringField("adapter", e.origin().adapter());
            g.writeStringField("endpoint", e.origin().endpoint());
            g.writeNumberField("at", e.receivedAt().toEpochMilli());
            if (e.recipient() != null) {
                g.writeStringField("to", e.recipient());
            }
            if (target != null) {
                g.writeStringField("target", target);
            }
            if (stamp != null) {
                g.writeStringField("h", stamp.epoch() + "-" + stamp.offset());
            }
        });
    }

    /** Reads an envelope body; empty when it is not one (counted by the caller). */
    public static Optional<Decoded> readEnvelope(String body) {
        try {
            Map<String, JsonValue> m = JsonObjectReader.readObject(body);
            String id = text(m, "id");
            String channel = text(m, "channel");
            JsonValue sender = m.get("sender");
            JsonValue message = m.get("message");
            String adapter = text(m, "adapter");
            String endpoint = text(m, "endpoint");
            JsonValue at = m.get("at");
            if (id == null || channel == null || sender == null || message == null || adapter == null || endpoint == null || at == null) {
                return Optional.empty();
            }
            Envelope e = new Envelope(id, channel, sender, message, new Origin(adapter, endpoint),
                    Instant.ofEpochMilli(Long.parseLong(at.json())), text(m, "to"));
            return Optional.of(new Decoded(e, text(m, "target"), stamp(text(m, "h"))));
        } catch (InvalidJsonException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Position.Mark stamp(String h) {
        if (h == null) {
            return null;
        }
        Optional<Position> p = Position.parse(h);
        return p.isPresent() && p.get().log() == null ? p.get().history() : null;
    }

    public static String writeMember(String endpointId, Participant p) {
        return write(g -> {
            g.writeStringField("endpoint", endpointId);
            g.writeStringField("adapter", p.adapter());
            g.writeStringField("id", p.id());
            g.writeStringField("name", p.name());
        });
    }

    public static Optional<Member> readMember(String body) {
        try {
            Map<String, JsonValue> m = JsonObjectReader.readObject(body);
            String endpoint = text(m, "endpoint");
            String adapter = text(m, "adapter");
            String id = text(m, "id");
            String name = text(m, "name");
            if (endpoint == null || adapter == null || id == null || name == null) {
                return Optional.empty();
            }
            return Optional.of(new Member(endpoint, new Participant(adapter, id, name)));
        } catch (InvalidJsonException e) {
            return Optional.empty();
        }
    }

    public static String writeFailure(Envelope e, ErrorCode code, String detail) {
        return write(g -> {
            g.writeStringField("id", e.id());
            g.writeStringField("channel", e.channel());
            g.writeStringField("adapter", e.origin().adapter());
            g.writeStringField("endpoint", e.origin().endpoint());
            g.writeStringField("code", code.name());
            g.writeStringField("detail", detail);
            if (e.isAddressed()) {
                g.writeStringField("to", e.recipient());
            }
        });
    }

    public static Optional<Failure> readFailure(String body) {
        try {
            Map<String, JsonValue> m = JsonObjectReader.readObject(body);
            String id = text(m, "id");
            String channel = text(m, "channel");
            String adapter = text(m, "adapter");
            String endpoint = text(m, "endpoint");
            String code = text(m, "code");
            String detail = text(m, "detail");
            if (id == null || channel == null || adapter == null || endpoint == null || code == null || detail == null) {
                return Optional.empty();
            }
            return Optional.of(new Failure(id, channel, adapter, endpoint, ErrorCode.valueOf(code), detail, text(m, "to")));
        } catch (InvalidJsonException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String text(Map<String, JsonValue> m, String key) {
        JsonValue v = m.get(key);
        return v == null || !v.isString() ? null : v.asText();
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Fields fields) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
