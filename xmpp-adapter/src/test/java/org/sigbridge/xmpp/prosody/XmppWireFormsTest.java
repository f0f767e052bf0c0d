package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.testing.Envelopes;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.xmpp.NativeXmppUser;
import org.sigbridge.xmpp.mapping.Inbound;
import org.sigbridge.xmpp.mapping.OriginIdElement;
import org.sigbridge.xmpp.mapping.SignalElement;
import org.sigbridge.xmpp.mapping.XmppEnvelopeMapper;

/**
 * The wire forms of docs/design.md §4.2 through a real Prosody room: the bridge sends the JSON once (in {@code <body>},
 * the {@code signal} element carrying attributes only), and it accepts every form another sigbridge may send — the
 * double form of older releases (the JSON in {@code <body>} and as the element's text), the {@code body: omit} form
 * and the current one — with the raw JSON text kept byte for byte (§2.1). The "other sigbridge" is a Smack client
 * writing those stanzas element by element as those releases did, not through this release's mapper.
 */
@Timeout(60)
class XmppWireFormsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NS = "urn:sigbridge:signal:0";

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    /** JSON texts a seed page may send: numbers as written, double-encoded strings, markup, non-ASCII, and "]]>". */
    private static final List<String> PAYLOADS = List.of("{\"type\":\"offer\",\"n\":1.50,\"e\":1E3}", "\"{\\\"inner\\\":\\\"json\\\"}\"",
            "\"grüße ✓ 🎉 <&>'\\\"\"", "{\"sdp\":\"v=0\\r\\na=x]]>y\\r\\n\"}", "[1, 2 ,{\"a\" : null}]");

    @Test
    void acceptsTheOlderDoubleFormTheOmitFormAndTheCurrentFormFromAnotherSigbridge() throws Exception {
        try (NativeXmppUser old = NativeXmppUser.join(PROSODY.server(), "bob", "forms-1", "old-bridge");
             BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "forms-in", "")) {
            RecordingEndpoint browser = bridge.browser("browser-in", "Forms-1");
            int n = 0;
            for (String json : PAYLOADS) {
                for (String form : List.of("double", "omit", "current")) {
                    String id = "old-" + (++n) + "-" + form;
                    old.connection().sendStanza(stanza(old, form, "Forms-1", id, json));

                    Envelope e = browser.envelopes().next(WAIT);
                    assertEquals(json, e.message().json(), form + " form of " + json);
                    assertEquals(id, e.id(), form);
                    assertEquals("Forms-1", e.channel(), form);
                    assertEquals("\"remote browser\"", e.sender().json(), form);
                }
            }
            assertEquals(0, bridge.counter("malformed"));
        }
    }

    @Test
    void sendsTheJsonOnceInTheBodyWithASignalElementOfAttributes() throws Exception {
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "forms-2", "bob");
             BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "forms-out", "")) {
            RecordingEndpoint browser = bridge.browser("browser-out", "Forms-2");
            XmppEnvelopeMapper reader = new XmppEnvelopeMapper(1 << 20);
            for (String json : PAYLOADS) {
                Envelope sent = new Envelope(bridge.hub().envelopeIds().next(), "Forms-2", JsonValue.number(7),
                        Envelopes.json(json), new Origin("web", browser.id()), java.time.Instant.now());
                bridge.hub().publish(sent, browser);

                Message m = bob.next(WAIT);
                SignalElement signal = m.getExtension(SignalElement.class);
                assertEquals(Optional.of(sent.id()), signal.id());
                assertEquals(Optional.of("7"), signal.senderJson());
                boolean cdataEnd = json.contains("]]>");
                // What a plain client shows: the JSON (with "]]>" written "]]\u003e", the same JSON string).
                assertEquals(cdataEnd ? json.replace("]]>", "]]\\u003e") : json, m.getBody());
                // The element carries no second copy, except the exact text of a JSON holding "]]>".
                assertEquals(cdataEnd ? json : "", signal.json());
                Inbound.Signal read = assertInstanceOf(Inbound.Signal.class, reader.fromStanza(m));
                assertEquals(json, read.message().json(), "what another sigbridge reads");
                assertEquals("7", read.sender().json());
            }
            // Every message came back from the room and was recognised as our own by its origin-id, not delivered.
            bridge.awaitCounter("reflections", PAYLOADS.size(), WAIT);
            assertEquals(List.of(), browser.envelopes().drain());
            assertEquals(List.of(), browser.failures().drain());
        }
    }

    /**
     * A groupchat message as a sigbridge sends it in {@code form}: {@code double} (releases before the JSON travelled
     * once: the JSON as body and as the element's text; a body holding "]]>" got "]]\u003e"), {@code omit} (element
     * text only) or {@code current} (body only, element of attributes; a JSON holding "]]>" also as the element's text).
     */
    private static Message stanza(NativeXmppUser from, String form, String channel, String id, String json) {
        MessageBuilder b = StanzaBuilder.buildMessage(id).ofType(Message.Type.groupchat).to(from.room().getRoom());
        if (!form.equals("omit")) {
            b.setBody(json.replace("]]>", "]]\\u003e"));
        }
        if (form.equals("current") && !json.contains("]]>")) {
            b.addExtension(StandardExtensionElement.builder("signal", NS)
                    .addAttribute("channel", channel).addAttribute("sender", "remote browser").addAttribute("id", id).build());
        } else {
            // The element with text, written as the releases before did (StandardExtensionElement would leave "]]>" raw
            // in the text, which Prosody answers by closing the stream as not-well-formed).
            b.addExtension(new SignalElement(channel, "remote browser", null, id, json));
        }
        b.addExtension(new OriginIdElement(id));
        return b.build();
    }

    @Test
    void theCurrentFormWithoutABodyIsMalformedAndCounted() throws Exception {
        try (NativeXmppUser other = NativeXmppUser.join(PROSODY.server(), "bob", "forms-3", "other");
             BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "forms-bad", "")) {
            RecordingEndpoint browser = bridge.browser("browser-bad", "Forms-3");
            MessageBuilder b = StanzaBuilder.buildMessage("bad-1").ofType(Message.Type.groupchat).to(other.room().getRoom());
            b.addExtension(StandardExtensionElement.builder("signal", NS).addAttribute("channel", "Forms-3").addAttribute("id", "bad-1").build());
            other.connection().sendStanza(b.build());
            other.connection().sendStanza(stanza(other, "current", "Forms-3", "good-1", "{}"));

            bridge.awaitCounter("malformed", 1, WAIT);
            Envelope next = browser.envelopes().next(WAIT);
            assertEquals("good-1", next.id(), "the malformed message before it was not delivered");
        }
    }
}
