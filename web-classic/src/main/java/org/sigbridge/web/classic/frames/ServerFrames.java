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
