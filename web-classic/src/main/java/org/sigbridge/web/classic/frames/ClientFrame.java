package org.sigbridge.web.classic.frames;

import org.sigbridge.envelope.JsonValue;

/** One frame a browser sent, understood. Produced by {@link FrameParser}. */
public sealed interface ClientFrame {

    /**
     * {@code {"open":true,"channel":c}}: subscribe.
     *
     * @param envelopeStyle the frame also named a {@code sender} on a socket whose dialect was not decided yet, which
     *                      makes it an envelope socket (docs/dialects.md §3.1)
     * @param sender        on a channels socket, the name the page speaks as ({@code {"open":true,"channel":c,
     *                      "sender":"ann"}}, docs/dialects.md §2.2): a non-empty string of at most
     *                      {@link FrameParser#MAX_SENDER_CHARS} characters; {@code null} when it named none
     */
    record Open(String channel, boolean envelopeStyle, String sender) implements ClientFrame {

        /** An {@code open} that names no channels-dialect sender. */
        public Open(String channel, boolean envelopeStyle) {
            this(channel, envelopeStyle, null);
        }
    }

    /** {@code {"leave":true,"channel":c}}: unsubscribe (a sigbridge extension). */
    record Leave(String channel) implements ClientFrame {
    }

    /** {@code {"checkPresence":true,"channel":c}}: answered {@code {"isChannelPresent":bool}}. */
    record CheckPresence(String channel) implements ClientFrame {
    }

    /** {@code {"presence":true|false}}: opt in to (or out of) presence event frames (a sigbridge extension). */
    record PresenceOptIn(boolean enabled) implements ClientFrame {
    }

    /**
     * {@code {"positions":true|false}}: opt in to positions (docs/dialects.md §5.4, a sigbridge extension): answered
     * {@code {"session":…}}, and every delivery then carries its position.
     */
    record PositionsOptIn(boolean enabled) implements ClientFrame {
    }

    /**
     * {@code {"resume":{"channel":c,"position":p,"sessions":[…]}}}: join {@code channel} again from {@code since}
     * (docs/dialects.md §5.4, a sigbridge extension).
     *
     * @param since    the position of the last envelope the client got there, or {@code null} when it names none (or a
     *                 malformed one): a plain join that answers "not recovered"
     * @param sessions the {@code session} ids the client had before, its own word (they only hide its own envelopes), in
     *                 the client's order (newest last: on a cluster the newest one with a valid tag names the participant)
     * @param sender   on a channels socket, the name the page speaks as, as in {@link Open}; {@code null} when none
     */
    record Resume(String channel, org.sigbridge.spi.Position since, java.util.Set<String> sessions, String sender)
            implements ClientFrame {

        /** A {@code resume} that names no channels-dialect sender. */
        public Resume(String channel, org.sigbridge.spi.Position since, java.util.Set<String> sessions) {
            this(channel, since, sessions, null);
        }
    }

    /**
     * A publish. The channels dialect's {@code {channel, data}} has no sender ({@code null}); the envelope
     * form carries the client's {@code sender}, as written, and maybe an {@code id}.
     *
     * @param dialect  {@link Mode#CHANNELS} or {@link Mode#ENVELOPE}: which form the frame had
     * @param clientId the client's {@code id} if it sent an acceptable one, else {@code null}
     */
    record Publish(Mode dialect, String channel, JsonValue sender, JsonValue message, String clientId)
            implements ClientFrame {
    }

    /** A frame the reference servers silently ignore (docs/dialects.md §2.2); counted, not answered. */
    record Ignored(String why) implements ClientFrame {
    }
}
