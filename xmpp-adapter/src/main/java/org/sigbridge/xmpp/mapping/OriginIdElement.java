package org.sigbridge.xmpp.mapping;

import javax.xml.namespace.QName;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.util.XmlStringBuilder;

/**
 * XEP-0359 {@code <origin-id xmlns="urn:xmpp:sid:0" id="…"/>}: the id the sending client gave a message,
 * which the MUC service keeps. Read, no longer written: sigbridge releases before this one put the envelope id
 * here as well as in the {@code signal} element, and a native client's origin-id becomes its message's envelope
 * id (docs/design.md §4.3). Smack 4.4 has this only in smack-experimental; this small copy avoids the
 * dependency. Immutable.
 */
public final class OriginIdElement implements ExtensionElement {

    public static final String ELEMENT = "origin-id";
    public static final String NAMESPACE = "urn:xmpp:sid:0";
    public static final QName QNAME = new QName(NAMESPACE, ELEMENT);

    private final String id;

    public OriginIdElement(String id) {
        this.id = id;
    }

    /** The id; may be {@code null} when a foreign element lacked it. */
    public String id() {
        return id;
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
        xml.optAttribute("id", id);
        return xml.closeEmptyElement();
    }
}
