package org.sigbridge.xmpp.mapping;

import java.io.IOException;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;

/**
 * Parses {@link SignalElement}. Lenient by design: it keeps whatever attributes and text it finds and
 * notes child elements, so a bad element from a foreign client reaches the mapper (which ignores and
 * counts it) instead of failing the whole stanza inside Smack. Stateless and thread-safe.
 */
public final class SignalElementProvider extends ExtensionElementProvider<SignalElement> {

    @Override
    public SignalElement parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment)
            throws XmlPullParserException, IOException {
        String channel = parser.getAttributeValue("", "channel");
        String sender = parser.getAttributeValue("", "sender");
        String senderJson = parser.getAttributeValue("", "sender-json");
        String id = parser.getAttributeValue("", "id");
        String to = parser.getAttributeValue("", "to");
        StringBuilder text = new StringBuilder();
        boolean nested = false;
        while (true) {
            XmlPullParser.Event event = parser.next();
            switch (event) {
                case TEXT_CHARACTERS, IGNORABLE_WHITESPACE, ENTITY_REFERENCE -> {
                    if (parser.getDepth() == initialDepth) {
                        text.append(parser.getText());
                    }
                }
                case START_ELEMENT -> nested = true;
                case END_ELEMENT -> {
                    if (parser.getDepth() == initialDepth) {
                        return new SignalElement(channel, sender, senderJson, id, text.toString(), to, nested);
                    }
                }
                case END_DOCUMENT -> throw new XmlPullParserException("stream ended inside <signal/>");
                default -> {
                    // comments and processing instructions carry nothing
                }
            }
        }
    }
}
