package org.sigbridge.xmpp.room;

import java.time.Instant;
import java.util.Objects;
import org.jivesoftware.smack.packet.Message;
import org.sigbridge.envelope.Envelope;

/**
 * An envelope accepted for a room, with its stanza already built (and size-checked) on the hub thread.
 *
 * @param envelope the envelope
 * @param stanza   its groupchat message
 * @param queuedAt when the link accepted it, for expiry
 */
record Waiting(Envelope envelope, Message stanza, Instant queuedAt) {
    Waiting {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(stanza, "stanza");
        Objects.requireNonNull(queuedAt, "queuedAt");
    }
}
