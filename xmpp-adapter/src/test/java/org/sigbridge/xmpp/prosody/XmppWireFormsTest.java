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
 * the {@code signal} element carrying attributes only, the envelope id once in it, no XEP-0359 origin-id, and the
 * no-store hint only where the room archives), and it accepts every form another sigbridge may send — the double
 * form of older releases (the JSON in {@code <body>} and as the element's text, with origin-id and no-store), the
 * {@code body: omit} form, the form of session 10 (body, attributes-only element, origin-id, no-store) and the current
 * one — with the raw JSON text kept byte for byte (§2.1). The "other sigbridge" is a Smack client writing those
 * stanzas element by element as those releases did, not through this release's mapper.
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
    void acceptsTheOlderDoubleFormTheOmitFormTheSession10FormAndTheCurrentFormFromAnotherSigbridge() throws Exception {
        try (NativeXmppUser old = NativeXmppUser.join(PROSODY.server(), "bob", "forms-1", "old-bridge");
             BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "forms-in", "")) {
            RecordingEndpoint browser = bridge.browser("browser-in", "Forms-1");
            int n = 0;
            for (String json : PAYLOADS) {
                for (String form : List.of("double", "omit", "s10", "current")) {
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
            // An older bridge's resend after an outage (same envelope id, its origin-id alike) is a repeat, not a second delivery.
            old.connection().sendStanza(stanza(old, "s10", "Forms-1", "old-1-double", "{}"));
            old.connection().sendStanza(stanza(old, "s10", "Forms-1", "after-resend", "{}"));
            assertEquals("after-resend", browser.envelopes().next(WAIT).id(), "the repeat before it was not delivered");
            assertEquals(1, bridge.counter("duplicates"));
        }
    }

    @Test
    void recognisesItsOwnReflectionsAndTheOlderFormsOfOtherBridgesApart() throws Exception {
        // Two bridges of this release and an older one (a Smack client writing the session 10 form) in one room: each
        // bridge drops only its own reflections, by the envelope id in the signal element, and delivers the rest once.
        try (NativeXmppUser old = NativeXmppUser.join(PROSODY.server(), "bob", "forms-4", "old-bridge");
             BridgeUnderTest a = BridgeUnderTest.start(PROSODY.server(), "forms-a", "");
             BridgeUnderTest b = BridgeUnderTest.start(PROSODY.server(), "forms-b", "")) {
            RecordingEndpoint atA = a.browser("browser-a", "Forms-4");
            RecordingEndpoint atB = b.browser("browser-b", "Forms-4");
            Envelope fromA = new Envelope(a.hub().envelopeIds().next(), "Forms-4", JsonValue.string("alice"), Envelopes.json("{\"n\":1}"),
                    new Origin("web", atA.id()), java.time.Instant.now());
            a.hub().publish(fromA, atA);
            Envelope atBFromA = atB.envelopes().next(WAIT);
            assertEquals(fromA.id(), atBFromA.id());
            assertEquals("\"alice\"", atBFromA.sender().json());
            Message onTheWire = old.next(WAIT);
            assertEquals(null, onTheWire.getExtensionElement("origin-id", "urn:xmpp:sid:0"), "the id travels once: " + onTheWire.toXML());
            assertEquals(Optional.of(fromA.id()), onTheWire.getExtension(SignalElement.class).id());

            old.connection().sendStanza(stanza(old, "s10", "Forms-4", "old-9", "{\"n\":2}"));
            assertEquals("old-9", atA.envelopes().next(WAIT).id());
            assertEquals("old-9", atB.envelopes().next(WAIT).id());

            a.awaitCounter("reflections", 1, WAIT);
            assertEquals(List.of(), atA.envelopes().drain(), "A's own message did not come back to its browser");
            assertEquals(List.of(), atB.envelopes().drain());
            assertEquals(1, a.counter("received"), "A delivered only the older bridge's message");
            assertEquals(2, b.counter("received"), "B delivered A's message and the older bridge's");
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

    @Test
    void sendsNoStoreOnlyWhereTheRoomArchivesWithAutoAndAsToldWithAlwaysAndNever() throws Exception {
        // The test Prosody's rooms do not archive (no mod_muc_mam): their disco#info lists no urn:xmpp:mam:*. Until the
        // bridge has the room's answer it sends the hint; once it has it, no more.
        try (NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "forms-5", "bob");
             BridgeUnderTest auto = BridgeUnderTest.start(PROSODY.server(), "forms-auto", "no-store: auto");
             BridgeUnderTest always = BridgeUnderTest.start(PROSODY.server(), "forms-always", ""); // the default
             BridgeUnderTest never = BridgeUnderTest.start(PROSODY.server(), "forms-never", "no-store: false")) {
            RecordingEndpoint viaAuto = auto.browser("browser-auto", "Forms-5");
            int sent = 0;
            boolean hint = true;
            for (long deadline = System.nanoTime() + WAIT.toNanos(); System.nanoTime() < deadline; sent++) {
                hint = noStore(sendAndSee(auto, viaAuto, bob, "Forms-5"));
                if (!hint) {
                    break;
                }
                Thread.sleep(20); // polls as awaitCounter does: a message every 20 ms at most, not a flood
            }
            assertEquals(false, hint, "auto: still the hint after " + sent + " messages to a room that does not archive");
            for (int i = 0; i < 3; i++) {
                assertEquals(false, noStore(sendAndSee(auto, viaAuto, bob, "Forms-5")), "auto: the hint stays off");
            }
            RecordingEndpoint viaAlways = always.browser("browser-always", "Forms-5");
            RecordingEndpoint viaNever = never.browser("browser-never", "Forms-5");
            for (int i = 0; i < 3; i++) {
                assertEquals(true, noStore(sendAndSee(always, viaAlways, bob, "Forms-5")), "always, the default");
                assertEquals(false, noStore(sendAndSee(never, viaNever, bob, "Forms-5")), "never (false, as earlier releases wrote it)");
            }
        }
    }

    /** Publishes an envelope through {@code bridge} and returns the message {@code observer} receives for it. */
    private static Message sendAndSee(BridgeUnderTest bridge, RecordingEndpoint from, NativeXmppUser observer, String channel)
            throws Exception {
        Envelope e = new Envelope(bridge.hub().envelopeIds().next(), channel, JsonValue.string(from.id()), Envelopes.json("{}"),
                new Origin("web", from.id()), java.time.Instant.now());
        bridge.hub().publish(e, from);
        for (long deadline = System.nanoTime() + WAIT.toNanos(); System.nanoTime() < deadline; ) {
            Message m = observer.next(WAIT);
            SignalElement signal = m == null ? null : m.getExtension(SignalElement.class);
            if (signal != null && signal.id().equals(Optional.of(e.id()))) {
                return m;
            }
        }
        throw new AssertionError("envelope " + e.id() + " did not reach the room");
    }

    private static boolean noStore(Message m) {
        return m.getExtensionElement("no-store", "urn:xmpp:hints") != null;
    }

    /**
     * A groupchat message as a sigbridge sends it in {@code form}: {@code double} (releases before the JSON travelled
     * once: the JSON as body and as the element's text; a body holding "]]>" got "]]\u003e"), {@code omit} (element
     * text only), {@code s10} (body only, element of attributes, as up to session 10) or {@code current} (as
     * {@code s10}, this release); all but {@code current} with the XEP-0359 origin-id and XEP-0334 no-store of earlier
     * releases. A JSON holding "]]>" also travels as the element's text.
     */
    private static Message stanza(NativeXmppUser from, String form, String channel, String id, String json) {
        MessageBuilder b = StanzaBuilder.buildMessage(id).ofType(Message.Type.groupchat).to(from.room().getRoom());
        if (!form.equals("omit")) {
            b.setBody(json.replace("]]>", "]]\\u003e"));
        }
        if ((form.equals("current") || form.equals("s10")) && !json.contains("]]>")) {
            b.addExtension(StandardExtensionElement.builder("signal", NS)
                    .addAttribute("channel", channel).addAttribute("sender", "remote browser").addAttribute("id", id).build());
        } else {
            // The element with text, written as the releases before did (StandardExtensionElement would leave "]]>" raw
            // in the text, which Prosody answers by closing the stream as not-well-formed).
            b.addExtension(new SignalElement(channel, "remote browser", null, id, json));
        }
        if (!form.equals("current")) {
            b.addExtension(new OriginIdElement(id));
            b.addExtension(StandardExtensionElement.builder("no-store", "urn:xmpp:hints").build());
        }
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
