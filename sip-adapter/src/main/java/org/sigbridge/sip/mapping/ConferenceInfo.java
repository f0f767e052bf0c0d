package org.sigbridge.sip.mapping;

import java.util.List;
import java.util.Objects;

/**
 * The part of an RFC 4575 conference information document ({@code application/conference-info+xml}) that bridges
 * exchange to tell each other which participants they have on a channel (docs/design.md §5.7): the conference
 * {@code entity} (the channel's AOR), full or partial state, the {@code version} (RFC 4575 §4.1: it increases by
 * one per document a sender sends) and the users, each a participant id and display name, or a deletion. Written by
 * {@link #write}, read by {@link ConferenceInfoParser}. Immutable; pure.
 *
 * @param entity  the conference URI, {@code sip:<escaped channel>@<domain>}
 * @param full    {@code state="full"}: the users are everyone the sender has; else {@code state="partial"}: changes
 * @param version the document's version, 0 to 2³²−1 ({@code xs:unsignedInt})
 * @param users   the users the document names
 * @param node    the sending bridge's node id when it is an instance of a cluster ({@code <node>} in
 *                {@link #CLUSTER_NAMESPACE}, an extension RFC 4575 §5 lets a reader skip), else {@code null}: a receiver
 *                of the same cluster has the sender's participants through the cluster already (docs/design.md §5.7)
 */
public record ConferenceInfo(String entity, boolean full, long version, List<User> users, String node) {

    /** The body's media type, RFC 4575 §7.1. */
    public static final String TYPE = "application";
    public static final String SUB_TYPE = "conference-info+xml";
    /** The document's XML namespace, RFC 4575 §5. */
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:conference-info";
    /** Users per document at most, written or read: beyond, a document is refused (and a sender writes full state in parts never). */
    public static final int MAX_USERS = 256;
    /** Longest display name kept; a longer one is cut. */
    public static final int MAX_NAME_CHARS = 256;

    /** The namespace of the {@code <node>} extension element (docs/design.md §5.7). */
    public static final String CLUSTER_NAMESPACE = "urn:x-sigbridge:cluster";

    /** A document of a bridge that is no instance of a cluster. */
    public ConferenceInfo(String entity, boolean full, long version, List<User> users) {
        this(entity, full, version, users, null);
    }

    public ConferenceInfo {
        Objects.requireNonNull(entity, "entity");
        if (node != null && !isNodeId(node)) {
            throw new IllegalArgumentException("node id '" + node + "' is not 1 to 64 lower-case letters and digits");
        }
        users = List.copyOf(users);
        if (version < 0 || version > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("version " + version + " is not an xs:unsignedInt");
        }
    }

    /**
     * One user of the document: a participant of the sending bridge.
     *
     * @param id      the participant id (addressed envelopes name it); travels as the user entity
     *                {@code sip:<escaped id>@<domain>}
     * @param name    what to show; equal to {@code id} when the document names none
     * @param deleted {@code state="deleted"}: the participant left (partial documents only)
     */
    public record User(String id, String name, boolean deleted) {
        public User {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * The document as XML text. Users whose id or name holds a character XML 1.0 cannot carry are left out, and so
     * are users beyond {@link #MAX_USERS}.
     *
     * @param domain the host of the user entities
     */
    public String write(String domain) {
        StringBuilder sb = new StringBuilder(160 + users.size() * 96);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<conference-info xmlns=\"").append(NAMESPACE)
                .append("\" entity=\"").append(escape(entity)).append("\" state=\"").append(full ? "full" : "partial")
                .append("\" version=\"").append(version).append("\">\n  <users>\n");
        int n = 0;
        for (User u : users) {
            if (n == MAX_USERS || !validXml(u.id()) || !validXml(u.name())) {
                continue;
            }
            n++;
            sb.append("    <user entity=\"").append(escape(userEntity(u.id(), domain))).append("\" state=\"")
                    .append(u.deleted() ? "deleted" : "full").append('"');
            if (u.deleted()) {
                sb.append("/>\n");
            } else {
                sb.append("><display-text>").append(escape(u.name())).append("</display-text></user>\n");
            }
        }
        sb.append("  </users>\n");
        if (node != null) {
            sb.append("  <node xmlns=\"").append(CLUSTER_NAMESPACE).append("\">").append(node).append("</node>\n");
        }
        return sb.append("</conference-info>\n").toString();
    }

    /** Whether {@code text} may be a node id: 1 to 64 lower-case ASCII letters and digits. */
    public static boolean isNodeId(String text) {
        if (text.isEmpty() || text.length() > 64) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** A participant id as a user entity: {@code sip:<escaped id>@<domain>} (RFC 3261 §25.1 escaping). */
    public static String userEntity(String id, String domain) {
        return "sip:" + SipUserPart.escape(id) + "@" + domain;
    }

    /**
     * The participant id a user entity stands for: the unescaped user part of a {@code sip:}/{@code sips:} URI with
     * one (what {@link #userEntity} writes), else the whole URI (a focus that names users by {@code tel:} URIs, say).
     */
    public static String idOf(String entity) {
        String rest = entity.regionMatches(true, 0, "sip:", 0, 4) ? entity.substring(4)
                : entity.regionMatches(true, 0, "sips:", 0, 5) ? entity.substring(5) : null;
        int at = rest == null ? -1 : rest.indexOf('@');
        if (at <= 0) {
            return entity;
        }
        return SipUserPart.unescape(rest.substring(0, at)).filter(s -> !s.isEmpty()).orElse(entity);
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                case '\t', '\n', '\r' -> sb.append("&#").append((int) c).append(';'); // kept exactly in attributes
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Whether every character may appear in an XML 1.0 document (XML 1.0 §2.2 {@code Char}). */
    static boolean validXml(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0xD800 || c == 0x9 || c == 0xA || c == 0xD || c >= 0xE000 && c <= 0xFFFD) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            return false;
        }
        return true;
    }
}
