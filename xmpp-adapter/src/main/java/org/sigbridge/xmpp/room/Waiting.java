package org.sigbridge.xmpp.room;

import java.time.Instant;
import java.util.Objects;
import org.jivesoftware.smack.packet.Message;
import org.sigbridge.envelope.Envelope;

/**
 * An envelope accepted for a room, with its stanza already built (and size-checked) on the hub thread.
 *
 * @param envelope the envelope
 * @param stanza   its groupchat message, or its private message to one occupant
 * @param queuedAt when the link accepted it, for expiry
 * @param direct   a private message (XEP-0045 §7.5): the room reflects nothing, so no receipt is awaited
 */
record Waiting(Envelope envelope, Message stanza, Instant queuedAt, boolean direct) {
    Waiting {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(stanza, "stanza");
        Objects.requireNonNull(queuedAt, "queuedAt");
    }

    /** A groupchat message. */
    Waiting(Envelope envelope, Message stanza, Instant queuedAt) {
        this(envelope, stanza, queuedAt, false);
    }
}
