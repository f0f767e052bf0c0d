package org.sigbridge.xmpp.mapping;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sigbridge.testing.fuzz.Bounded;
import org.sigbridge.testing.fuzz.FuzzRun;
import org.sigbridge.testing.fuzz.FuzzText;

/**
 * Fuzzes the XMPP → envelope mapping (docs/design.md §4.3) with well-formed stanzas as a server relays them from a
 * room: groupchat and private messages with random nicks, bodies (JSON, mutated JSON, text), {@code signal}
 * elements (attributes, JSON text or none, child elements), origin-ids, and known extensions with bad content (XEP-0203
 * {@code delay}, muc#user); presences with random {@code participants} announcements. Every stanza Smack parses maps
 * to a signal, a native message, or an ignored/malformed verdict (counted), never an exception, within
 * {@link Bounded#PER_INPUT}; a stanza Smack cannot parse is skipped and counted by the session
 * ({@code XmppUnparseableStanzaTest}). Each verdict and presences occur in the run.
 */
class XmppEnvelopeMapperFuzzTest {

    private static final List<String> KEYS = List.of("type", "sdp", "candidate", "id", "sender", "channel", "message");
    private final XmppEnvelopeMapper mapper = new XmppEnvelopeMapper(64 * 1024);

    @BeforeAll
    static void providers() {
        SmackExtensions.register();
    }

    @Test
    void everyStanzaMapsOrIsIgnoredAndCounted() {
        FuzzRun.Tally tally = FuzzRun.run("XmppEnvelopeMapperFuzzTest", 10_000, this::oneStanza);
        for (String outcome : List.of("Signal", "Native", "Ignored", "Malformed", "presence")) {
            assertTrue(tally.count(outcome) > 0, outcome + " never occurred: " + tally);
        }
    }

    private String oneStanza(long seed) {
        FuzzText g = new FuzzText(seed);
        boolean presence = g.below(5) == 0;
        String xml = presence ? presence(g) : message(g);
        Stanza stanza;
        try {
            stanza = PacketParserUtils.parseStanza(xml);
        } catch (Exception e) { // Smack's parser refuses it: the session's parsing callback skips and counts it
            return "refused by Smack's parser";
        }
        if (stanza instanceof Message m) {
            Inbound in = Bounded.call(xml, () -> mapper.fromStanza(m));
            assertNotNull(in, xml);
            XmppEnvelopeMapper.originId(m);
            XmppEnvelopeMapper.envelopeId(m);
            return in.getClass().getSimpleName();
        } else if (stanza instanceof Presence p) {
            List<BridgeParticipants.Announced> announced = Bounded.call(xml, () -> BridgeParticipants.from(p));
            assertNotNull(announced, xml);
            return "presence";
        }
        return stanza.getClass().getSimpleName();
    }

    private static String message(FuzzText g) {
        StringBuilder sb = new StringBuilder("<message xmlns='jabber:client' from='room@conference.localhost/")
                .append(attr(nick(g))).append("' to='alice@localhost/x' type='").append(g.pick("groupchat", "chat", "normal", "error"))
                .append("' id='").append(attr(g.anyString(8))).append("'>");
        if (g.below(4) != 0) {
            String body = switch (g.below(3)) {
                case 0 -> g.jsonObject(KEYS, 3);
                case 1 -> g.mutate(g.jsonObject(KEYS, 3));
                default -> g.anyString(60);
            };
            sb.append("<body>").append(text(body)).append("</body>");
        }
        if (g.below(2) == 0) {
            sb.append("<signal xmlns='urn:sigbridge:signal:0'");
            for (String a : List.of("channel", "sender", "sender-json", "id", "to")) {
                if (g.below(3) != 0) {
                    String v = a.equals("sender-json") ? g.mutate(g.jsonScalar()) : g.anyString(16);
                    sb.append(' ').append(a).append("='").append(attr(v)).append('\'');
                }
            }
            // No text: the attributes-only form, whose JSON is the body (docs/design.md §4.2).
            sb.append('>').append(g.below(4) == 0 ? "" : text(g.below(2) == 0 ? g.jsonValue(KEYS, 3) : g.mutate(g.jsonObject(KEYS, 2))));
            if (g.below(8) == 0) {
                sb.append("<child/>");
            }
            sb.append("</signal>");
        }
        if (g.below(3) == 0) {
            sb.append("<origin-id xmlns='urn:xmpp:sid:0'").append(g.below(4) == 0 ? "" : " id='" + attr(g.anyString(12)) + "'").append("/>");
        }
        if (g.below(10) == 0) {
            sb.append("<delay xmlns='urn:xmpp:delay' stamp='").append(attr(g.pick("2026-12-06T10:00:00Z", "x", "", g.anyString(10))))
                    .append("'/>");
        }
        if (g.below(10) == 0) {
            sb.append("<x xmlns='http://jabber.org/protocol/muc#user'><status code='").append(attr(g.pick("110", "abc", "", "-1")))
                    .append("'/></x>");
        }
        return sb.append("</message>").toString();
    }

    private static String presence(FuzzText g) {
        StringBuilder sb = new StringBuilder("<presence xmlns='jabber:client' from='room@conference.localhost/")
                .append(attr(nick(g))).append("' to='alice@localhost/x'>");
        if (g.below(4) != 0) {
            sb.append("<participants xmlns='urn:sigbridge:signal:0'>");
            for (int n = g.below(6); n > 0; n--) {
                sb.append("<participant");
                for (String a : List.of("channel", "id", "name")) {
                    if (g.below(4) != 0) {
                        sb.append(' ').append(a).append("='").append(attr(g.anyString(12))).append('\'');
                    }
                }
                sb.append("/>");
            }
            sb.append("</participants>");
        }
        return sb.append("</presence>").toString();
    }

    private static String nick(FuzzText g) {
        return g.below(3) == 0 ? g.pick("bob", "sigbridge", "b\u00f6b", "a b") : g.anyString(10).replace("/", "");
    }

    /** XML 1.0 text: characters it cannot hold dropped (a server never relays them), markup escaped. */
    private static String text(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c) || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xfffe || c == 0xffff) {
                continue;
            } else if (c == '<') {
                sb.append("&lt;");
            } else if (c == '&') {
                sb.append("&amp;");
            } else if (c == '>') {
                sb.append("&gt;");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String attr(String s) {
        return text(s).replace("'", "&apos;").replace("\"", "&quot;");
    }
}
