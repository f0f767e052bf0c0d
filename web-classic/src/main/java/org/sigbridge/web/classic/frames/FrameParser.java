package org.sigbridge.web.classic.frames;

import java.util.Map;
import org.sigbridge.envelope.EnvelopeIds;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.ErrorCode;

/**
 * Reads a client's text frame. Pure and thread-safe.
 *
 * <p>Dispatch follows the reference server (docs/dialects.md §2.2): the first truthy key of {@code checkPresence},
 * {@code open} decides, then the sigbridge extensions {@code leave} and {@code presence}, then a publish:
 * {@code {channel, data}} (channels) or {@code {sender, channel, message}} (envelope). Values are kept as the
 * raw JSON text the client wrote ({@link JsonValue}), never re-serialised. A frame that is a JSON string holding
 * an object (double-encoded, as some seed snippets send) is read as that object.
 */
public final class FrameParser {

    /** Longest channel name accepted; seed pages use a URL without punctuation, far below this. */
    public static final int MAX_CHANNEL_CHARS = 1024;

    /** Longest sender name a channels socket may give in {@code open} or {@code resume} (docs/dialects.md §2.2). */
    public static final int MAX_SENDER_CHARS = 256;

    private FrameParser() {
    }

    /**
     * @param text    the frame's text
     * @param dialect the socket's dialect; {@link Mode#UNDECIDED} accepts both publish forms
     */
    public static ParseResult parse(String text, Mode dialect) {
        Map<String, JsonValue> fields;
        try {
            fields = readObjectOrDoubleEncoded(text);
        } catch (JsonObjectReader.NotAnObjectException e) {
            return bad(ErrorCode.INVALID_FRAME, "a frame must be a JSON object (or a JSON string holding one)", null);
        } catch (InvalidJsonException e) {
            return bad(ErrorCode.INVALID_JSON, "not valid JSON: " + e.getMessage(), null);
        }
        String id = clientId(fields);
        if (truthy(fields.get("checkPresence"))) {
            JsonValue channel = fields.get("channel");
            // The reference answers nothing for a missing channel; pages read any reply but false as "present".
            return channel != null && channel.isString() && !channel.asText().isEmpty()
                    ? parsed(new ClientFrame.CheckPresence(channel.asText()))
                    : parsed(new ClientFrame.Ignored("checkPresence without a channel"));
        }
        if (truthy(fields.get("open"))) {
            ChannelOrBad named = channel(fields, id);
            if (named.bad() != null) {
                return named.bad();
            }
            if (dialect != Mode.CHANNELS || !fields.containsKey("sender")) {
                return parsed(new ClientFrame.Open(named.channel(), fields.containsKey("sender")));
            }
            SenderOrBad sender = channelsSender(fields.get("sender"), id);
            return sender.bad() != null ? sender.bad() : parsed(new ClientFrame.Open(named.channel(), true, sender.name()));
        }
        if (truthy(fields.get("leave"))) {
            return channel(fields, id).map(ClientFrame.Leave::new);
        }
        JsonValue presence = fields.get("presence");
        boolean publishShape = fields.containsKey("data") || fields.containsKey("message");
        if (presence != null && !publishShape && (presence.json().equals("true") || presence.json().equals("false"))) {
            return parsed(new ClientFrame.PresenceOptIn(presence.json().equals("true")));
        }
        JsonValue positions = fields.get("positions");
        if (positions != null && !publishShape && (positions.json().equals("true") || positions.json().equals("false"))) {
            return parsed(new ClientFrame.PositionsOptIn(positions.json().equals("true")));
        }
        JsonValue resume = fields.get("resume");
        if (resume != null && !publishShape && resume.json().startsWith("{")) {
            return resume(resume, dialect, id);
        }
        return publish(fields, dialect, id);
    }

    /** {@code {"resume":{"channel":c,"position":p,"sessions":[s…]}}}; a bad or missing position is a plain join. */
    private static ParseResult resume(JsonValue resume, Mode dialect, String id) {
        Map<String, JsonValue> r;
        try {
            r = JsonObjectReader.readObject(resume.json());
        } catch (InvalidJsonException e) {
            return bad(ErrorCode.INVALID_FRAME, "\"resume\" must be an object {channel, position, sessions}", id);
        }
        ChannelOrBad named = channel(r, id);
        if (named.bad() != null) {
            return named.bad();
        }
        JsonValue position = r.get("position");
        org.sigbridge.spi.Position since = position != null && position.isString()
                ? org.sigbridge.spi.Position.parse(position.asText()).orElse(null) : null;
        java.util.Set<String> sessions = new java.util.LinkedHashSet<>();
        JsonValue list = r.get("sessions");
        if (list != null) {
            if (!stringsInto(list.json(), sessions)) {
                return bad(ErrorCode.INVALID_FRAME, "\"sessions\" must be an array of strings", id);
            }
        }
        String sender = null;
        if (dialect == Mode.CHANNELS && r.containsKey("sender")) {
            SenderOrBad named2 = channelsSender(r.get("sender"), id);
            if (named2.bad() != null) {
                return named2.bad();
            }
            sender = named2.name();
        }
        return parsed(new ClientFrame.Resume(named.channel(), since, java.util.Collections.unmodifiableSet(sessions), sender)); // in the client's order
    }

    /**
     * A channels socket's {@code sender} (docs/dialects.md §2.2): a non-empty string of at most
     * {@link #MAX_SENDER_CHARS} characters, else {@code invalid_frame} / {@code too_large}.
     */
    private static SenderOrBad channelsSender(JsonValue sender, String id) {
        if (sender == null || !sender.isString() || sender.asText().isBlank()) {
            return new SenderOrBad(null, bad(ErrorCode.INVALID_FRAME,
                    "\"sender\" on a channels socket must be a non-empty string (the name to speak as)", id));
        }
        String name = sender.asText();
        if (name.length() > MAX_SENDER_CHARS) {
            return new SenderOrBad(null, bad(ErrorCode.TOO_LARGE, "sender names are limited to " + MAX_SENDER_CHARS + " characters", id));
        }
        return new SenderOrBad(name, null);
    }

    /** Reads a JSON array of strings, keeping at most 8 of at most 128 characters; false when it is not one. */
    private static boolean stringsInto(String json, java.util.Set<String> out) {
        try (com.fasterxml.jackson.core.JsonParser p = STRINGS.createParser(json)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                return false;
            }
            com.fasterxml.jackson.core.JsonToken t;
            while ((t = p.nextToken()) == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                String s = p.getText();
                if (out.size() < 8 && s.length() <= 128) {
                    out.add(s);
                }
            }
            return t == com.fasterxml.jackson.core.JsonToken.END_ARRAY;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static final com.fasterxml.jackson.core.JsonFactory STRINGS = new com.fasterxml.jackson.core.JsonFactory();

    private static ParseResult publish(Map<String, JsonValue> fields, Mode dialect, String id) {
        JsonValue data = fields.get("data");
        JsonValue message = fields.get("message");
        boolean envelope = message != null && dialect != Mode.CHANNELS;
        boolean channels = data != null && dialect != Mode.ENVELOPE && !envelope;
        if (!envelope && !channels) {
            String expected = switch (dialect) {
                case CHANNELS -> "{\"open\":true,\"channel\":…}, {\"checkPresence\":true,\"channel\":…} or {\"channel\":…,\"data\":…}";
                case ENVELOPE -> "{\"sender\":…,\"channel\":…,\"message\":…} or {\"open\":true,\"channel\":…}";
                case UNDECIDED -> "open, checkPresence, {\"channel\":…,\"data\":…} or {\"sender\":…,\"channel\":…,\"message\":…}";
            };
            return bad(ErrorCode.INVALID_FRAME, "expected " + expected, id);
        }
        ChannelOrBad named = channel(fields, id);
        if (named.bad() != null) {
            return named.bad();
        }
        String channel = named.channel();
        if (channels) {
            if (data.isFalsy()) {
                return parsed(new ClientFrame.Ignored("falsy data is not relayed, as in the reference server"));
            }
            return parsed(new ClientFrame.Publish(Mode.CHANNELS, channel, JsonValue.nullValue(), data, id));
        }
        JsonValue sender = fields.getOrDefault("sender", JsonValue.nullValue());
        return parsed(new ClientFrame.Publish(Mode.ENVELOPE, channel, sender, message, id));
    }

    private static Map<String, JsonValue> readObjectOrDoubleEncoded(String text) throws InvalidJsonException {
        try {
            return JsonObjectReader.readObject(text);
        } catch (JsonObjectReader.NotAnObjectException e) {
            JsonValue value = JsonValue.parse(text);
            if (!value.isString()) {
                throw e;
            }
            try {
                return JsonObjectReader.readObject(value.asText());
            } catch (InvalidJsonException inner) {
                throw e; // a plain string is a frame of the wrong shape, not bad JSON
            }
        }
    }

    /** The frame's non-empty string {@code channel}, or an {@code invalid_frame}. */
    private static ChannelOrBad channel(Map<String, JsonValue> fields, String id) {
        JsonValue channel = fields.get("channel");
        if (channel == null || !channel.isString() || channel.asText().isEmpty()) {
            return new ChannelOrBad(null, bad(ErrorCode.INVALID_FRAME, "\"channel\" must be a non-empty string", id));
        }
        String name = channel.asText();
        if (name.length() > MAX_CHANNEL_CHARS) {
            return new ChannelOrBad(null, bad(ErrorCode.TOO_LARGE, "channel names are limited to " + MAX_CHANNEL_CHARS + " characters", id));
        }
        return new ChannelOrBad(name, null);
    }

    private static String clientId(Map<String, JsonValue> fields) {
        return EnvelopeIds.keepable(fields.get("id")).orElse(null);
    }

    /** JavaScript truthiness of a raw value; absent is falsy. */
    private static boolean truthy(JsonValue value) {
        return value != null && !value.isFalsy();
    }

    private static ParseResult parsed(ClientFrame frame) {
        return new ParseResult.Parsed(frame);
    }

    private static ParseResult bad(ErrorCode code, String detail, String id) {
        return new ParseResult.Bad(code, detail, id);
    }

    /** A channels socket's sender name or the refusal to answer with. */
    private record SenderOrBad(String name, ParseResult bad) {
    }

    /** A channel name or the refusal to answer with. */
    private record ChannelOrBad(String channel, ParseResult bad) {
        ParseResult map(java.util.function.Function<String, ClientFrame> frame) {
            return bad != null ? bad : parsed(frame.apply(channel));
        }
    }
}
