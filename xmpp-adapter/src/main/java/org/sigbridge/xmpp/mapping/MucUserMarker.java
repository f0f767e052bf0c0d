package org.sigbridge.xmpp.mapping;

import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;

/**
 * XEP-0045 §7.5 {@code <x xmlns="http://jabber.org/protocol/muc#user"/>}: marks a private message sent
 * through a room to an occupant, so the recipient's client shows it in the room's context. Only ever written.
 */
public final class MucUserMarker implements ExtensionElement {

    public static final MucUserMarker INSTANCE = new MucUserMarker();
    public static final String ELEMENT = "x";
    public static final String NAMESPACE = "http://jabber.org/protocol/muc#user";

    private MucUserMarker() {
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
        return "<x xmlns='" + NAMESPACE + "'/>";
    }
}
