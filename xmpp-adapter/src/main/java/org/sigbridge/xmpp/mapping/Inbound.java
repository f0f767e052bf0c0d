package org.sigbridge.xmpp.mapping;

import java.util.Objects;
import java.util.Optional;
import org.sigbridge.envelope.JsonValue;

/** What {@link XmppEnvelopeMapper#fromStanza} found in a groupchat or MUC private message. */
public sealed interface Inbound {

    /**
     * A sigbridge envelope from a {@code signal} element: exact channel, sender, id and message.
     *
     * @param id the envelope id, when the element carried an acceptable one
     * @param to the participant id an addressed envelope is for (the element's {@code to}), else empty
     */
    record Signal(String channel, JsonValue sender, JsonValue message, Optional<String> id, Optional<String> to) implements Inbound {
        public Signal {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(to, "to");
        }

        /** A broadcast envelope. */
        public Signal(String channel, JsonValue sender, JsonValue message, Optional<String> id) {
            this(channel, sender, message, id, Optional.empty());
        }
    }

    /**
     * A native XMPP user's body: the sender is the occupant nick, the message the body parsed as JSON if
     * it parses, else the body as a JSON string.
     *
     * @param id the XEP-0359 origin-id when acceptable as an envelope id
     */
    record Native(String nick, JsonValue message, Optional<String> id) implements Inbound {
        public Native {
            Objects.requireNonNull(nick, "nick");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(id, "id");
        }
    }

    /** Nothing to relay (a subject change, a chat state, a message from the room itself). */
    record Ignored(String reason) implements Inbound {
    }

    /** Broken input from a foreign client (bad {@code signal} element, invalid JSON); ignored and counted. */
    record Malformed(String reason) implements Inbound {
    }
}
