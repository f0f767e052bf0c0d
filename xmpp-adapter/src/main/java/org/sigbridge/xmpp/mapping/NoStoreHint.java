package org.sigbridge.xmpp.mapping;

import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;

/**
 * XEP-0334 {@code <no-store xmlns="urn:xmpp:hints"/>}: signaling is ephemeral, so servers should keep it
 * out of archives (XEP-0313) and offline storage. Only ever written, never read.
 */
public final class NoStoreHint implements ExtensionElement {

    public static final NoStoreHint INSTANCE = new NoStoreHint();
    public static final String ELEMENT = "no-store";
    public static final String NAMESPACE = "urn:xmpp:hints";

    private NoStoreHint() {
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
    public CharSequence toXML(XmlEnvironment enclosingNamespace) {
        return "<no-store xmlns='" + NAMESPACE + "'/>";
    }
}
