package org.sigbridge.xmpp.mapping;

import java.util.Optional;
import javax.xml.namespace.QName;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;

/**
 * {@code <signal xmlns="urn:sigbridge:signal:0" channel="…" sender="…" id="…"/>}: one envelope as sigbridge
 * instances exchange it in a MUC room (docs/design.md §4.2). By default the element carries only attributes and the
 * envelope's {@code message} JSON travels in the message's {@code <body>}; with body mode {@code omit} (and in the
 * double form of older bridges) the element's text is that JSON, written verbatim. A parsed element without text
 * has {@link #json()} empty: the mapper then reads the body.
 *
 * <p>{@code sender} holds the sender as text. A sender that is not a JSON string (seed pages send
 * numbers) is carried exactly in {@code sender-json}, so {@code 42} and {@code "42"} stay distinct.
 *
 * <p>{@code to} names the participant an addressed envelope is for, when it travels as a MUC private message
 * to the occupant of the bridge that hosts that participant (XEP-0045 §7.5); broadcast envelopes have none.
 *
 * <p>Parsed elements come from other clients and may lack any part: every accessor is optional and the
 * mapper decides what is malformed. Immutable.
 */
public final class SignalElement implements ExtensionElement {

    public static final String ELEMENT = "signal";
    public static final String NAMESPACE = "urn:sigbridge:signal:0";
    public static final QName QNAME = new QName(NAMESPACE, ELEMENT);

    private final String channel;
    private final String sender;
    private final String senderJson;
    private final String id;
    private final String json;
    private final String to;
    private final boolean nested;

    /**
     * @param channel    the exact channel name
     * @param sender     the sender as text, or {@code null} when there is none
     * @param senderJson the sender's raw JSON when it is not a JSON string, else {@code null}
     * @param id         the envelope id
     * @param json       the message's JSON text, or {@code null} when it travels in the body
     */
    public SignalElement(String channel, String sender, String senderJson, String id, String json) {
        this(channel, sender, senderJson, id, json, null, false);
    }

    /**
     * @param to the participant id an addressed envelope is for, or {@code null}
     */
    public SignalElement(String channel, String sender, String senderJson, String id, String json, String to) {
        this(channel, sender, senderJson, id, json, to, false);
    }

    SignalElement(String channel, String sender, String senderJson, String id, String json, String to, boolean nested) {
        this.to = to;
        this.channel = channel;
        this.sender = sender;
        this.senderJson = senderJson;
        this.id = id;
        this.json = json;
        this.nested = nested;
    }

    public Optional<String> channel() {
        return Optional.ofNullable(channel);
    }

    public Optional<String> sender() {
        return Optional.ofNullable(sender);
    }

    public Optional<String> senderJson() {
        return Optional.ofNullable(senderJson);
    }

    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /** The participant id of an addressed envelope. */
    public Optional<String> to() {
        return Optional.ofNullable(to);
    }

    /** The element text: the message JSON, or empty when the element has none (the JSON is in the body). */
    public String json() {
        return json == null ? "" : json;
    }

    /** Whether the parsed element contained child elements, which this version never writes. */
    public boolean hasChildElements() {
        return nested;
    }

    @Override
    public String getNamespace() {
        return NAMESPACE;
    }

    @Override
    public String getElementName() {
        return ELEMENT;
    }

    @Override
    public XmlStringBuilder toXML(XmlEnvironment enclosingNamespace) {
        XmlStringBuilder xml = new XmlStringBuilder(this, enclosingNamespace);
        xml.optAttribute("channel", channel);
        xml.optAttribute("sender", sender);
        xml.optAttribute("sender-json", senderJson);
        xml.optAttribute("id", id);
        xml.optAttribute("to", to);
        if (json == null || json.isEmpty()) {
            return xml.closeEmptyElement();
        }
        xml.rightAngleBracket();
        xml.escape(json);
        xml.closeElement(this);
        return xml;
    }
}
