package org.sigbridge.web.classic.frames;

import java.util.Locale;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeJson;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.web.http.Replies;

/**
 * The frames the bridge sends to browsers. Pure and thread-safe; payloads are written back verbatim.
 */
public final class ServerFrames {

    private static final String PRESENT = "{\"isChannelPresent\":true}";
    private static final String ABSENT = "{\"isChannelPresent\":false}";

    private ServerFrames() {
    }

    /**
     * An envelope as a socket of the given dialect receives it: the bare {@code message} for channels sockets
     * (docs/dialects.md §2.3: exactly the serialised {@code data}), the whole envelope otherwise. A channels frame is the
     * envelope's own {@code message} value, so every recipient shares its one UTF-8 encoding.
     */
    public static JsonValue delivery(Envelope envelope, Mode dialect) {
        return dialect == Mode.ENVELOPE ? envelopeFrame(envelope) : envelope.message();
    }

    /**
     * The whole envelope as one frame, written once per envelope rather than once per recipient: the hub fans an
     * envelope out to every local subscriber on the publishing thread, one after the other, so remembering the last
     * envelope this thread wrote (by identity; envelopes are immutable) serves all but the first recipient.
     */
    private static JsonValue envelopeFrame(Envelope envelope) {
        LastWritten last = LAST_WRITTEN.get();
        if (last.envelope != envelope) {
            last.frame = new JsonValue(EnvelopeJson.write(envelope));
            last.envelope = envelope;
        }
        return last.frame;
    }

    private static final ThreadLocal<LastWritten> LAST_WRITTEN = ThreadLocal.withInitial(LastWritten::new);

    /** One thread's last envelope frame; holds at most one envelope per thread. */
    private static final class LastWritten {
        private Envelope envelope;
        private JsonValue frame;
    }

    /**
     * A delivery to a socket that opted in to positions (docs/dialects.md §5.4): {@code {"channel":c,"data":x,
     * "position":p}} on a channels socket, the envelope with {@code "position":p} added on an envelope socket.
     */
    public static String positioned(Envelope envelope, Mode dialect, org.sigbridge.spi.Position position) {
        String p = JsonValue.string(position.wire()).json();
        if (dialect == Mode.ENVELOPE) {
            String frame = envelopeFrame(envelope).json();
            return frame.substring(0, frame.length() - 1) + ",\"position\":" + p + "}";
        }
        return "{\"channel\":" + JsonValue.string(envelope.channel()).json() + ",\"data\":" + envelope.message().json()
                + ",\"position\":" + p + "}";
    }

    /** The answer to a positions opt-in: {@code {"session":id}}, the id to name in a later resume. */
    public static String session(String endpointId) {
        return "{\"session\":" + JsonValue.string(endpointId).json() + "}";
    }

    /** After a join with positions on: {@code {"joined":{"channel":c,"position":p}}}, where the client starts. */
    public static String joined(String channel, org.sigbridge.spi.Position position) {
        return "{\"joined\":{\"channel\":" + JsonValue.string(channel).json() + ",\"position\":"
                + (position == null ? "null" : JsonValue.string(position.wire()).json()) + "}}";
    }

    /**
     * The end of a resume: {@code {"resumed":{"channel":c,"recovered":bool,"position":p}}}, after the replayed
     * deliveries; {@code position} is where the channel stands now ({@code null} when the bridge keeps no history).
     */
    public static String resumed(String channel, boolean recovered, org.sigbridge.spi.Position position) {
        return "{\"resumed\":{\"channel\":" + JsonValue.string(channel).json() + ",\"recovered\":" + recovered
                + ",\"position\":" + (position == null ? "null" : JsonValue.string(position.wire()).json()) + "}}";
    }

    /** The channels dialect's presence answer. */
    public static String presenceAnswer(boolean present) {
        return present ? PRESENT : ABSENT;
    }

    /**
     * {@code {"error":{"code":…,"detail":…,"id":…}}} (docs/design.md §3.9); {@code id} is left out when unknown.
     */
    public static String error(ErrorCode code, String detail, String id) {
        return Replies.errorJson(code, detail, id);
    }

    /**
     * A presence event for sockets that opted in:
     * {@code {"presence":{"channel":…,"event":"joined"|"left","participant":{"adapter":…,"id":…,"name":…},"present":bool}}}.
     */
    public static String presenceEvent(PresenceEvent event) {
        var p = event.participant();
        return "{\"presence\":{\"channel\":" + JsonValue.string(event.channel()).json()
                + ",\"event\":\"" + event.kind().name().toLowerCase(Locale.ROOT) + '"'
                + ",\"participant\":{\"adapter\":" + JsonValue.string(p.adapter()).json()
                + ",\"id\":" + JsonValue.string(p.id()).json()
                + ",\"name\":" + JsonValue.string(p.name()).json() + '}'
                + ",\"present\":" + event.present() + "}}";
    }
}
