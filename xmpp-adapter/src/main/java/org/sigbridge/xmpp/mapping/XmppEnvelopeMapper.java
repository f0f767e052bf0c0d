package org.sigbridge.xmpp.mapping;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeIds;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.xmpp.config.BodyMode;

/**
 * Envelope ⇄ groupchat message (docs/design.md §4.2 and §4.3), and addressed envelope ⇄ MUC private message
 * (XEP-0045 §7.5; {@code conf/reference/xmpp.md}). Pure: no I/O, no state; thread-safe.
 *
 * <p>Out: {@code <message type="groupchat">} whose stanza id and {@link SignalElement} {@code id} are the envelope
 * id, with the XEP-0334 {@code <no-store/>} hint when the caller asks for it ({@link
 * org.sigbridge.xmpp.config.NoStoreMode}). The envelope id travels in the element, which every MUC service passes
 * through unchanged; no XEP-0359 {@code <origin-id/>} is written any more (earlier releases wrote one with the same
 * id; receivers read both, see {@link #envelopeId}). The message JSON travels once: in {@code <body>}
 * with a {@code signal} element of attributes only (body mode {@code json}, the default), or as the element's text
 * without a body ({@code omit}); {@code both} writes it in both places, as sigbridge did before (see
 * {@link Placement}). A stanza whose serialised size exceeds the budget is refused {@code too_large}
 * here, because a server answers an oversized stanza by closing the whole stream (RFC 6120 §4.9.3.12
 * policy-violation; Prosody's {@code stanza-too-big}).
 *
 * <p>In: a {@code signal} element gives the exact envelope, its message from the element's text when it has
 * one (the {@code omit} form, and the double form of older bridges), else from the {@code <body>} (the {@code json}
 * form); without one, the occupant nick is the sender and the body is the message (JSON if it parses, else a
 * string). Every form earlier releases sent is read: the origin-id they added carries the same id as the element.
 * Recognising our own reflections is the room binding's job, which knows our nicks and sent ids.
 */
public final class XmppEnvelopeMapper {

    private final int stanzaBudgetBytes;

    /**
     * @param stanzaBudgetBytes refuse stanzas whose serialised form is larger than this
     */
    public XmppEnvelopeMapper(int stanzaBudgetBytes) {
        this.stanzaBudgetBytes = stanzaBudgetBytes;
    }

    /**
     * The groupchat stanza for an envelope, or why it cannot be one.
     *
     * @param noStore add the XEP-0334 {@code <no-store/>} hint
     */
    public Outbound toStanza(Envelope envelope, EntityBareJid room, BodyMode body, boolean noStore) {
        return build(envelope, room, Message.Type.groupchat, null, body, noStore);
    }

    /**
     * The MUC private message (XEP-0045 §7.5) for an addressed envelope: {@code type="chat"} to the occupant,
     * with the {@code <x xmlns="http://jabber.org/protocol/muc#user"/>} marker, the same {@code signal}
     * element and body as a groupchat message (and the no-store hint when asked for), and {@code to} on the {@code signal}
     * element when the recipient is a participant behind that occupant (a browser on another bridge) rather
     * than the occupant itself.
     *
     * @param occupant    the occupant JID, {@code room@service/nick}
     * @param participant the participant id for {@code signal/@to}, or {@code null} when the occupant is the recipient
     * @param noStore     add the XEP-0334 {@code <no-store/>} hint
     */
    public Outbound toPrivateStanza(Envelope envelope, EntityFullJid occupant, String participant, BodyMode body,
                                    boolean noStore) {
        if (participant != null && !XmlChars.allValid(participant)) {
            return new Outbound.Refused(ErrorCode.INVALID_FRAME, "the recipient holds characters XML 1.0 cannot carry");
        }
        return build(envelope, occupant, Message.Type.chat, participant, body, noStore);
    }

    private Outbound build(Envelope envelope, Jid to, Message.Type type, String participant, BodyMode body, boolean noStore) {
        String json = envelope.message().json();
        String senderText = envelope.sender().isNull() ? null : envelope.senderText();
        String senderJson = envelope.sender().isString() || envelope.sender().isNull() ? null : envelope.sender().json();
        if (!XmlChars.allValid(envelope.channel()) || (senderText != null && !XmlChars.allValid(senderText))
                || !XmlChars.allValid(json)) {
            return new Outbound.Refused(ErrorCode.INVALID_FRAME, "channel, sender or message holds characters XML 1.0 cannot carry");
        }
        Placement placement = Placement.of(body, json);
        // Cheap lower bound first: the JSON text appears once or twice, escaped no shorter than it is.
        if ((long) json.length() * placement.copies() > stanzaBudgetBytes) {
            return tooLarge(json.length() * (long) placement.copies());
        }
        MessageBuilder builder = StanzaBuilder.buildMessage(envelope.id())
                .ofType(type)
                .to(to);
        if (placement.inBody()) {
            // Smack escapes '<' and '&' in a body but not '>', and "]]>" may not appear in XML character data (XML 1.0
            // §2.4): a server's parser would end the bridge's stream over it. In JSON text "]]>" can only sit inside a
            // string, where the JSON escape of U+003E is the same character; such a body is no longer the exact text,
            // so Placement also puts that JSON in the signal element, which escapes its own copy.
            builder.setBody(placement.bodyExact() ? json : json.replace("]]>", "]]\\u003e"));
        }
        builder.addExtension(new SignalElement(envelope.channel(), senderText, senderJson, envelope.id(),
                placement.inSignal() ? json : null, participant));
        if (noStore) {
            builder.addExtension(NoStoreHint.INSTANCE);
        }
        if (type == Message.Type.chat) {
            builder.addExtension(MucUserMarker.INSTANCE);
        }
        Message message = builder.build();
        long bound = sizeBound(envelope, to, json, senderText, senderJson, placement.copies()) + (participant == null ? 0 : 6L * participant.length());
        if (bound <= stanzaBudgetBytes) {
            return new Outbound.Stanza(message, (int) bound); // fits for sure: no serialising just to measure
        }
        int bytes = message.toXML().toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > stanzaBudgetBytes) {
            return tooLarge(bytes);
        }
        return new Outbound.Stanza(message, bytes);
    }

    /** The application-specific error condition of an addressed envelope whose recipient is not here. */
    public static final String NO_SUCH_RECIPIENT = "no-such-recipient";

    /**
     * The error reply (RFC 6120 §8.3) to a private message whose {@code signal/@to} names nobody on this
     * bridge: {@code <undefined-condition/>} with {@code <no-such-recipient xmlns="urn:sigbridge:signal:0"/>},
     * the original stanza id (the envelope id), back to the sending occupant. Not {@code item-not-found}: a
     * MUC service may remove an occupant that sends that condition (Prosody's kickable errors).
     */
    public static Message noSuchRecipientReply(Message privateMessage) {
        StanzaError error = StanzaError.getBuilder(StanzaError.Condition.undefined_condition)
                .setType(StanzaError.Type.CANCEL)
                .setDescriptiveEnText("no participant here is " + signalTo(privateMessage).orElse("the recipient"))
                .addExtension(StandardExtensionElement.builder(NO_SUCH_RECIPIENT, SignalElement.NAMESPACE).build())
                .build();
        return StanzaBuilder.buildMessage(privateMessage.getStanzaId())
                .ofType(Message.Type.error)
                .to(privateMessage.getFrom())
                .setError(error)
                .build();
    }

    /**
     * Whether an error bounce of an addressed envelope says its recipient is not there: our own
     * {@code no-such-recipient} condition from another bridge, or the room's {@code item-not-found} ("recipient
     * not in room", XEP-0045 §7.5).
     */
    public static boolean isNoSuchRecipient(Message error) {
        StanzaError e = error.getError();
        return e != null && (e.getCondition() == StanzaError.Condition.item_not_found
                || e.getExtension(NO_SUCH_RECIPIENT, SignalElement.NAMESPACE) != null);
    }

    private static Optional<String> signalTo(Message message) {
        return message.getExtensionElement(SignalElement.ELEMENT, SignalElement.NAMESPACE) instanceof SignalElement signal
                ? signal.to() : Optional.empty();
    }

    /** Markup around the values: element and attribute names, namespaces, {@code type="groupchat"}. */
    static final int MARKUP_BOUND_BYTES = 512;

    /**
     * An upper bound of the serialised stanza's UTF-8 size (the envelope id written twice, as the stanza id and in
     * the {@code signal} element, counted three times): every value character escapes to at most six
     * ASCII characters ({@code &quot;}) or encodes to at most three bytes (a UTF-16 unit), so six bytes per
     * character of every value, plus the markup. Exact serialisation is only needed near the budget.
     */
    static long sizeBound(Envelope envelope, Jid room, String json, String senderText, String senderJson, int copies) {
        long chars = (long) json.length() * copies + envelope.channel().length() + 3L * envelope.id().length()
                + room.length() + (senderText == null ? 0 : senderText.length()) + (senderJson == null ? 0 : senderJson.length());
        return 6 * chars + MARKUP_BOUND_BYTES;
    }

    /**
     * What a groupchat message, or a MUC private message, from a room carries.
     *
     * @param message the stanza as Smack parsed it (with this package's providers registered)
     */
    public Inbound fromStanza(Message message) {
        ExtensionElement element = message.getExtensionElement(SignalElement.ELEMENT, SignalElement.NAMESPACE);
        if (element != null) {
            return element instanceof SignalElement signal ? fromSignal(signal, message)
                    : new Inbound.Malformed("signal element was not parsed by SignalElementProvider");
        }
        Jid from = message.getFrom();
        if (from == null || from.getResourceOrNull() == null) {
            return new Inbound.Ignored("not from an occupant");
        }
        String body = message.getBody();
        if (body == null || body.isEmpty()) {
            return new Inbound.Ignored("no body");
        }
        return new Inbound.Native(from.getResourceOrThrow().toString(), bodyValue(body), EnvelopeIds.keepable(originId(message)));
    }

    private Inbound fromSignal(SignalElement signal, Message message) {
        if (signal.hasChildElements()) {
            return new Inbound.Malformed("signal element has child elements");
        }
        Optional<String> channel = signal.channel().filter(c -> !c.isEmpty());
        if (channel.isEmpty()) {
            return new Inbound.Malformed("signal element without channel");
        }
        // The element's text when it has one (omit, and the double form older bridges send), else the body (json).
        String json = signal.json().isEmpty() ? message.getBody() : signal.json();
        if (json == null || json.isEmpty()) {
            return new Inbound.Malformed("signal element without JSON text and message without a body");
        }
        JsonValue payload;
        JsonValue sender;
        try {
            payload = JsonValue.parse(json);
            sender = signal.senderJson().isPresent() ? JsonValue.parse(signal.senderJson().get())
                    : signal.sender().map(JsonValue::string).orElse(JsonValue.nullValue());
        } catch (InvalidJsonException e) {
            return new Inbound.Malformed("signal element with invalid JSON: " + e.getMessage());
        }
        return new Inbound.Signal(channel.get(), sender, payload, EnvelopeIds.keepable(envelopeId(signal, message)),
                signal.to().filter(t -> !t.isEmpty()));
    }

    /** A native body: JSON if it is exactly one JSON value, else the text as a string (docs/design.md §4.3). */
    static JsonValue bodyValue(String body) {
        try {
            return JsonValue.parse(body);
        } catch (InvalidJsonException e) {
            return JsonValue.string(body);
        }
    }

    /**
     * The envelope id a message carries: its {@code signal} element's {@code id} (every sigbridge release writes it),
     * else its XEP-0359 origin-id (earlier releases wrote both, alike; a native client may write one). The room
     * binding recognises its own reflections by it (docs/design.md §4.3).
     */
    public static Optional<String> envelopeId(Message message) {
        return message.getExtensionElement(SignalElement.ELEMENT, SignalElement.NAMESPACE) instanceof SignalElement signal
                ? envelopeId(signal, message) : originId(message);
    }

    private static Optional<String> envelopeId(SignalElement signal, Message message) {
        return signal.id().filter(id -> !id.isEmpty()).or(() -> originId(message));
    }

    /** The XEP-0359 origin-id of a message, if it has one. */
    public static Optional<String> originId(Message message) {
        ExtensionElement element = message.getExtensionElement(OriginIdElement.ELEMENT, OriginIdElement.NAMESPACE);
        if (element instanceof OriginIdElement origin) {
            return Optional.ofNullable(origin.id());
        }
        if (element instanceof StandardExtensionElement standard) {
            return Optional.ofNullable(standard.getAttributeValue("id"));
        }
        return Optional.empty();
    }

    private Outbound tooLarge(long bytes) {
        return new Outbound.Refused(ErrorCode.TOO_LARGE, "the XMPP stanza would be about " + bytes + " bytes; this server takes at most "
                + stanzaBudgetBytes + " (max-stanza-bytes less a margin)");
    }
}
