package org.sigbridge.sip.mapping;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the {@link ConferenceInfo} an RFC 4575 document carries, with the JDK's StAX parser and nothing that reaches
 * outside the body: DTDs and external entities are off, and a document with a {@code DOCTYPE} is refused (XXE, entity
 * expansion). Bounded: at most {@link ConferenceInfo#MAX_USERS} users, elements nested at most {@link #MAX_DEPTH} deep,
 * entities of at most {@link #MAX_URI_CHARS} characters; the body itself is limited by {@code max-body-bytes} before it
 * gets here. Elements and attributes this bridge does not use (endpoints, media, roles, other namespaces) are skipped,
 * as RFC 4575 §5 lets a reader do, but for this bridge's own extension, the sender's cluster node id
 * ({@code <node xmlns="urn:x-sigbridge:cluster">}, docs/design.md §5.7). Pure; thread-safe (the factory is configured once and only creates readers).
 */
public final class ConferenceInfoParser {

    /** Elements nested deeper are refused. RFC 4575 documents nest about six deep. */
    public static final int MAX_DEPTH = 32;
    /** Longest conference or user entity accepted. */
    public static final int MAX_URI_CHARS = 1024;

    private static final XMLInputFactory FACTORY = factory();

    private ConferenceInfoParser() {
    }

    /** What a body held. */
    public sealed interface Result {
    }

    /** A well-formed document. */
    public record Parsed(ConferenceInfo info) implements Result {
    }

    /** A body that is no conference-info document this bridge can read; {@code reason} says why, for a 400. */
    public record Malformed(String reason) implements Result {
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /** Parses a body. Never throws for bad input: a {@link Malformed} names what is wrong. */
    public static Result parse(byte[] body) {
        XMLStreamReader r = null;
        try {
            r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
            return document(r);
        } catch (XMLStreamException | RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Malformed("not well-formed XML: " + m.replaceAll("\\s+", " "));
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing held open: the input is a byte array
                }
            }
        }
    }

    private static Result document(XMLStreamReader r) throws XMLStreamException {
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
                return new Malformed("a DOCTYPE or entity reference is not allowed");
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                if (!"conference-info".equals(r.getLocalName()) || !ConferenceInfo.NAMESPACE.equals(r.getNamespaceURI())) {
                    return new Malformed("the root element is {" + r.getNamespaceURI() + "}" + r.getLocalName()
                            + ", not conference-info in " + ConferenceInfo.NAMESPACE);
                }
                return root(r);
            }
        }
        return new Malformed("no root element");
    }

    private static Result root(XMLStreamReader r) throws XMLStreamException {
        String entity = r.getAttributeValue(null, "entity");
        String state = r.getAttributeValue(null, "state");
        String version = r.getAttributeValue(null, "version");
        if (entity == null || entity.isBlank() || entity.length() > MAX_URI_CHARS) {
            return new Malformed("conference-info has no usable entity attribute");
        }
        boolean full;
        if (state == null || state.equals("full")) {
            full = true; // RFC 4575 §5.1: the default state is full
        } else if (state.equals("partial")) {
            full = false;
        } else {
            return new Malformed("conference-info state '" + state + "' is neither full nor partial");
        }
        long v;
        try {
            v = version == null ? -1 : Long.parseLong(version.trim());
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 0 || v > 0xFFFF_FFFFL) {
            return new Malformed("conference-info version '" + version + "' is not an unsigned int (RFC 4575 §4.1 requires one)");
        }
        List<ConferenceInfo.User> users = new ArrayList<>();
        String node = null;
        int depth = 1;
        boolean inUsers = false; // inside conference-info/users, where user elements are read (RFC 4575 §5.6)
        while (r.hasNext() && depth > 0) {
            int event = r.next();
            if (event == XMLStreamConstants.ENTITY_REFERENCE || event == XMLStreamConstants.DTD) {
                return new Malformed("an entity reference is not allowed");
            }
            if (event == XMLStreamConstants.END_ELEMENT) {
                if (depth-- == 2) {
                    inUsers = false;
                }
            } else if (event == XMLStreamConstants.START_ELEMENT) {
                if (++depth > MAX_DEPTH) {
                    return new Malformed("elements nested more than " + MAX_DEPTH + " deep");
                }
                boolean ours = ConferenceInfo.NAMESPACE.equals(r.getNamespaceURI());
                if (depth == 2 && "node".equals(r.getLocalName()) && ConferenceInfo.CLUSTER_NAMESPACE.equals(r.getNamespaceURI())) {
                    String text = r.getElementText().strip(); // reads to the end tag
                    depth--;
                    node = ConferenceInfo.isNodeId(text) ? text : null; // not a node id: read as a document without one
                } else if (depth == 2) {
                    inUsers = ours && "users".equals(r.getLocalName());
                } else if (depth == 3 && inUsers && ours && "user".equals(r.getLocalName())) {
                    Result bad = user(r, full, users);
                    depth--; // user() read up to and including the user's end tag
                    if (bad != null) {
                        return bad;
                    }
                }
            }
        }
        return new Parsed(new ConferenceInfo(entity.trim(), full, v, users, node));
    }

    /** Reads one {@code user} element to its end tag; adds it to {@code users}, or answers why the document is refused. */
    private static Result user(XMLStreamReader r, boolean full, List<ConferenceInfo.User> users) throws XMLStreamException {
        if (users.size() == ConferenceInfo.MAX_USERS) {
            return new Malformed("more than " + ConferenceInfo.MAX_USERS + " users");
        }
        String entity = r.getAttributeValue(null, "entity");
        String state = r.getAttributeValue(null, "state");
        if (entity == null || entity.isBlank() || entity.length() > MAX_URI_CHARS) {
            return new Malformed("a user has no usable entity attribute");
        }
        boolean deleted = "deleted".equals(state);
        if (state != null && !deleted && !state.equals("full") && !state.equals("partial")) {
            return new Malformed("user state '" + state + "' is not full, partial or deleted");
        }
        if (deleted && full) {
            return new Malformed("a full-state document lists a deleted user (RFC 4575 §5.2)");
        }
        String name = null;
        int depth = 1;
        while (depth > 0) {
            int event = r.next();
            if (event == XMLStreamConstants.ENTITY_REFERENCE) {
                return new Malformed("an entity reference is not allowed");
            }
            if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (event == XMLStreamConstants.START_ELEMENT) {
                if (++depth > MAX_DEPTH - 3) {
                    return new Malformed("elements nested more than " + MAX_DEPTH + " deep");
                }
                if (depth == 2 && "display-text".equals(r.getLocalName()) && ConferenceInfo.NAMESPACE.equals(r.getNamespaceURI())) {
                    name = r.getElementText().strip(); // reads to the end tag
                    depth--;
                }
            }
        }
        String id = ConferenceInfo.idOf(entity.trim());
        if (name == null || name.isEmpty()) {
            name = id;
        } else if (name.length() > ConferenceInfo.MAX_NAME_CHARS) {
            name = name.substring(0, ConferenceInfo.MAX_NAME_CHARS);
        }
        users.add(new ConferenceInfo.User(id, name, deleted));
        return null;
    }
}
