package org.sigbridge.xmpp.mapping;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeIds;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.xmpp.config.BodyMode;

/**
 * Envelope ⇄ groupchat message, DESIGN.md §4. Pure: no I/O, no state; thread-safe.
 *
 * <p>Out: {@code <message type="groupchat">} with the {@link SignalElement}, an XEP-0359 origin-id equal to
 * the envelope id, an optional XEP-0334 {@code <no-store/>}, and (body mode {@code json}) a {@code <body>}
 * with the same JSON text. A stanza whose serialised size exceeds the budget is refused {@code too_large}
 * here, because a server answers an oversized stanza by closing the whole stream (RFC 6120 §4.9.3.12
 * policy-violation; Prosody's {@code stanza-too-big}).
 *
 * <p>In: a {@code signal} element gives the exact envelope; without one, the occupant nick is the sender
 * and the body is the message (JSON if it parses, else a string). Recognising our own reflections is the
 * room binding's job, which knows our nicks and sent ids.
 */
public final class XmppEnvelopeMapper {

    private final boolean noStore;
    private final int stanzaBudgetBytes;

    /**
     * @param noStore           add XEP-0334 {@code <no-store/>}
     * @param stanzaBudgetBytes refuse stanzas whose serialised form is larger than this
     */
    public XmppEnvelopeMapper(boolean noStore, int stanzaBudgetBytes) {
        this.noStore = noStore;
        this.stanzaBudgetBytes = stanzaBudgetBytes;
    }

    /** The groupchat stanza for an envelope, or why it cannot be one. */
    public Outbound toStanza(Envelope envelope, EntityBareJid room, BodyMode body) {
        String json = envelope.message().json();
        String senderText = envelope.sender().isNull() ? null : envelope.senderText();
        String senderJson = envelope.sender().isString() || envelope.sender().isNull() ? null : envelope.sender().json();
        if (!XmlChars.allValid(envelope.channel()) || (senderText != null && !XmlChars.allValid(senderText))
                || !XmlChars.allValid(json)) {
            return new Outbound.Refused(ErrorCode.INVALID_FRAME, "channel, sender or message holds characters XML 1.0 cannot carry");
        }
        // Cheap lower bound first: the JSON text appears once or twice, escaped no shorter than it is.
        int copies = body == BodyMode.JSON ? 2 : 1;
        if ((long) json.length() * copies > stanzaBudgetBytes) {
            return tooLarge(json.length() * (long) copies);
        }
        MessageBuilder builder = StanzaBuilder.buildMessage(envelope.id())
                .ofType(Message.Type.groupchat)
                .to(room);
        if (body == BodyMode.JSON) {
            builder.setBody(json);
        }
        builder.addExtension(new SignalElement(envelope.channel(), senderText, senderJson, envelope.id(), json));
        builder.addExtension(new OriginIdElement(envelope.id()));
        if (noStore) {
            builder.addExtension(NoStoreHint.INSTANCE);
        }
        Message message = builder.build();
        long bound = sizeBound(envelope, room, json, senderText, senderJson, copies);
        if (bound <= stanzaBudgetBytes) {
            return new Outbound.Stanza(message, (int) bound); // fits for sure: no serialising just to measure
        }
        int bytes = message.toXML().toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > stanzaBudgetBytes) {
            return tooLarge(bytes);
        }
        return new Outbound.Stanza(message, bytes);
    }

    /** Markup around the values: element and attribute names, namespaces, {@code type="groupchat"}. */
    static final int MARKUP_BOUND_BYTES = 512;

    /**
     * An upper bound of the serialised stanza's UTF-8 size: every value character escapes to at most six
     * ASCII characters ({@code &quot;}) or encodes to at most three bytes (a UTF-16 unit), so six bytes per
     * character of every value, plus the markup. Exact serialisation is only needed near the budget.
     */
    static long sizeBound(Envelope envelope, EntityBareJid room, String json, String senderText, String senderJson, int copies) {
        long chars = (long) json.length() * copies + envelope.channel().length() + 3L * envelope.id().length()
                + room.length() + (senderText == null ? 0 : senderText.length()) + (senderJson == null ? 0 : senderJson.length());
        return 6 * chars + MARKUP_BOUND_BYTES;
    }

    /**
     * What a groupchat message from a room carries.
     *
     * @param message the stanza as Smack parsed it (with this package's providers registered)
     */
    public Inbound fromStanza(Message message) {
        ExtensionElement element = message.getExtensionElement(SignalElement.ELEMENT, SignalElement.NAMESPACE);
        if (element != null) {
            return element instanceof SignalElement signal ? fromSignal(signal)
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

    private Inbound fromSignal(SignalElement signal) {
        if (signal.hasChildElements()) {
            return new Inbound.Malformed("signal element has child elements");
        }
        Optional<String> channel = signal.channel().filter(c -> !c.isEmpty());
        if (channel.isEmpty()) {
            return new Inbound.Malformed("signal element without channel");
        }
        JsonValue payload;
        JsonValue sender;
        try {
            payload = JsonValue.parse(signal.json());
            sender = signal.senderJson().isPresent() ? JsonValue.parse(signal.senderJson().get())
                    : signal.sender().map(JsonValue::string).orElse(JsonValue.nullValue());
        } catch (InvalidJsonException e) {
            return new Inbound.Malformed("signal element with invalid JSON: " + e.getMessage());
        }
        return new Inbound.Signal(channel.get(), sender, payload, EnvelopeIds.keepable(signal.id()));
    }

    /** A native body: JSON if it is exactly one JSON value, else the text as a string (DESIGN.md §4). */
    static JsonValue bodyValue(String body) {
        try {
            return JsonValue.parse(body);
        } catch (InvalidJsonException e) {
            return JsonValue.string(body);
        }
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
