package org.sigbridge.envelope;

import java.time.Instant;
import java.util.Objects;

/**
 * The unit of signaling the hub routes: {@code {sender, channel, message}} plus an id that survives
 * every hop, where it came from and when.
 *
 * <p>{@code channel} is any non-empty string a client chose (seed pages derive it from
 * {@code location.href}). {@code sender} and {@code message} are raw JSON values preserved exactly:
 * a numeric sender stays a number, a string holding JSON stays a string (docs/design.md §2.1).
 *
 * <p>An envelope is either broadcast ({@code recipient} {@code null}: every other participant of the
 * channel gets it) or addressed to one participant id on the channel (a PeerJS {@code dst}, an
 * RTCMultiConnection {@code remoteUserId}, a MUC occupant, a SIP member's AOR): the hub then delivers
 * it to that participant only ({@code docs/architecture.md}, "Addressed delivery").
 *
 * @param id         unique per envelope, kept across bridges (XEP-0359 origin-id, SIP body)
 * @param channel    the channel name, non-empty
 * @param sender     the sender as the client wrote it; {@code null} JSON when a dialect has none
 * @param message    the payload
 * @param origin     the adapter and endpoint it entered through
 * @param receivedAt when this bridge accepted it
 * @param recipient  the participant id it is addressed to, or {@code null} when it is broadcast; never empty
 */
public record Envelope(String id, String channel, JsonValue sender, JsonValue message, Origin origin,
                       Instant receivedAt, String recipient) {

    /** A broadcast envelope (no recipient). */
    public Envelope(String id, String channel, JsonValue sender, JsonValue message, Origin origin, Instant receivedAt) {
        this(id, channel, sender, message, origin, receivedAt, null);
    }

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(receivedAt, "receivedAt");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("envelope id must not be empty");
        }
        if (channel.isEmpty()) {
            throw new IllegalArgumentException("channel must not be empty");
        }
        if (recipient != null && recipient.isEmpty()) {
            throw new IllegalArgumentException("recipient must not be empty (null means broadcast)");
        }
    }

    /** Whether it names one recipient. */
    public boolean isAddressed() {
        return recipient != null;
    }

    /** The recipient, if it is addressed. */
    public java.util.Optional<String> recipientId() {
        return java.util.Optional.ofNullable(recipient);
    }

    /**
     * A copy addressed to one participant id, or broadcast again when {@code participantId} is {@code null}.
     *
     * @throws IllegalArgumentException if {@code participantId} is empty
     */
    public Envelope addressedTo(String participantId) {
        return new Envelope(id, channel, sender, message, origin, receivedAt, participantId);
    }

    /** The sender as plain text: a string's content, or a number's text. */
    public String senderText() {
        return sender.asText();
    }

    /** A copy that entered through another endpoint, for adapters that re-publish. */
    public Envelope withOrigin(Origin newOrigin) {
        return new Envelope(id, channel, sender, message, newOrigin, receivedAt, recipient);
    }
}
