package org.sigbridge.xmpp.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.xmpp.config.BodyMode;

/**
 * XML injection through browser-chosen names (docs/reliability.md, "Security checks"): a channel, sender or message
 * holding markup cannot add an element or attribute to the stanza the bridge writes. Each stanza is written to XML and
 * read back as a room occupant's client would; it must carry exactly the names it was given and no element of the
 * attacker's.
 */
class MarkupInjectionTest {

    private static final EntityBareJid ROOM = JidCreate.entityBareFromOrThrowUnchecked("room@conference.localhost");
    private final XmppEnvelopeMapper mapper = new XmppEnvelopeMapper(64 * 1024);

    @BeforeAll
    static void providers() {
        SmackExtensions.register();
    }

    @Test
    void markupInNamesAndMessagesStaysText() throws Exception {
        String[] names = {"c'/><evil xmlns='urn:x'/><x a='", "\"><body>pwned</body><signal channel=\"other", "]]><evil/><![CDATA[",
            "</signal></message><message to='victim@localhost'><body>x</body>", "&amp;&lt;evil/&gt;"};
        for (String channel : names) {
            for (String sender : names) {
                for (BodyMode body : BodyMode.values()) {
                    Envelope e = new Envelope("id-1", channel, JsonValue.string(sender),
                            JsonValue.string("<evil xmlns='urn:x'/>" + sender), new Origin("web", "ep-1"), Instant.now());
                    Message out = assertInstanceOf(Outbound.Stanza.class, mapper.toStanza(e, ROOM, body, true)).message();
                    String xml = out.toXML().toString().replace("<message ", "<message from='room@conference.localhost/bridge' ");
                    Message read;
                    try {
                        read = PacketParserUtils.parseStanza(xml);
                    } catch (Exception notXml) {
                        throw new AssertionError("the bridge wrote a stanza that does not parse: " + xml, notXml);
                    }
                    String what = channel + " / " + sender + " / " + body;
                    assertNull(read.getExtensionElement("evil", "urn:x"), what);
                    assertEquals(ROOM, read.getTo(), what);
                    Inbound.Signal signal = assertInstanceOf(Inbound.Signal.class, mapper.fromStanza(read), what);
                    assertEquals(channel, signal.channel(), what);
                    assertEquals(JsonValue.string(sender), signal.sender(), what);
                    assertEquals(e.message(), signal.message(), what);
                }
            }
        }
    }
}
