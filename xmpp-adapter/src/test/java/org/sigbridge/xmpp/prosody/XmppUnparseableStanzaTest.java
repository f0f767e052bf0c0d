package org.sigbridge.xmpp.prosody;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.jivesoftware.smack.packet.Nonza;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.spi.LegState;
import org.sigbridge.spi.PresenceEvent;
import org.sigbridge.testing.RecordingEndpoint;
import org.sigbridge.testkit.junit.ProsodyExtension;
import org.sigbridge.testkit.xmpp.NativeXmppUser;

/**
 * A room occupant's message that Smack cannot parse (a XEP-0203 {@code delay} whose stamp is not a date, relayed by
 * Prosody as sent) is skipped and counted as malformed; the bridge keeps its connection (Smack's default would close
 * it) and delivers the next message. Found by the XMPP mapping fuzz (docs/reliability.md).
 */
@Timeout(60)
class XmppUnparseableStanzaTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final ProsodyExtension PROSODY = new ProsodyExtension();

    @Test
    void aStanzaSmackCannotParseIsCountedAndTheSessionStays() throws Exception {
        try (BridgeUnderTest bridge = BridgeUnderTest.start(PROSODY.server(), "robust", "");
             NativeXmppUser bob = NativeXmppUser.join(PROSODY.server(), "bob", "robust-1", "bob")) {
            bob.connection().setParsingExceptionCallback(stanza -> { }); // bob gets the reflection too
            RecordingEndpoint browser = bridge.browser("browser-1", "robust-1");
            PresenceEvent joined;
            do {
                joined = browser.presence().next(WAIT);
            } while (joined.kind() != PresenceEvent.Kind.JOINED);
            LegState before = bridge.awaitLeg(LegState.Status.READY, WAIT);

            bob.connection().sendNonza(raw("<message xmlns='jabber:client' to='robust-1@" + PROSODY.server().mucService()
                    + "' type='groupchat' id='bad-1'><body>{\"bad\":1}</body>"
                    + "<delay xmlns='urn:xmpp:delay' stamp='not-a-date'/></message>"));
            bob.say("{\"good\":2}");

            Envelope e = browser.envelopes().next(WAIT);
            assertEquals("{\"good\":2}", e.message().json());
            bridge.awaitCounter("malformed", 1, WAIT);
            assertEquals(before, bridge.bridge.ops().legStates().get("xmpp"), "the session never went down");
        }
    }

    private static Nonza raw(String xml) {
        return new Nonza() {
            @Override
            public String getElementName() {
                return "message";
            }

            @Override
            public String getNamespace() {
                return "jabber:client";
            }

            @Override
            public CharSequence toXML(XmlEnvironment environment) {
                return xml;
            }
        };
    }
}
