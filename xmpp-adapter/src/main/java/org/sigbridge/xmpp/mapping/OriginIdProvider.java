package org.sigbridge.xmpp.mapping;

import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.xml.XmlPullParser;

/** Parses XEP-0359 {@link OriginIdElement}; an element without an id yields one with {@code null}. Thread-safe. */
public final class OriginIdProvider extends ExtensionElementProvider<OriginIdElement> {

    @Override
    public OriginIdElement parse(XmlPullParser parser, int initialDepth, XmlEnvironment xmlEnvironment) {
        return new OriginIdElement(parser.getAttributeValue("", "id"));
    }
}
