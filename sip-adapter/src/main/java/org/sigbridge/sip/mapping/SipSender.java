package org.sigbridge.sip.mapping;

import java.util.Locale;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;

/**
 * Who sent an incoming request, as the bridge names and reaches it (docs/design.md §5): the name shown for it (the
 * From display name, else the From user part), where to reach it (its Contact, RFC 3261 §8.1.1.8, else its From URI)
 * and its address of record (its From URI without parameters, RFC 3261 §8.1.1.3). Pure static functions of the
 * request; any thread.
 */
public final class SipSender {

    private SipSender() {
    }

    /** The sending user agent as a channel member: its Contact (else From) URI, display name and address of record. */
    public static SipMember memberOf(Request request) {
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        return new SipMember(memberUri(request, from), name(from), aorOf(request, from));
    }

    /** The From display name, else the From user part (unescaped), else {@code anonymous}. */
    static String name(FromHeader from) {
        if (from == null) {
            return "anonymous";
        }
        String display = from.getAddress().getDisplayName();
        if (display != null && !display.isBlank()) {
            return DisplayNames.unquote(display.trim());
        }
        if (from.getAddress().getURI() instanceof SipURI sip && sip.getUser() != null && !sip.getUser().isEmpty()) {
            return SipUserPart.unescape(sip.getUser()).orElse(sip.getUser());
        }
        return "anonymous";
    }

    /**
     * Where to reach the sender: its Contact (RFC 3261 §8.1.1.8: where it wants requests), else its From URI.
     * Parameters other than {@code transport} are left out, so one UA is one member.
     */
    static String memberUri(Request request, FromHeader from) {
        ContactHeader contact = (ContactHeader) request.getHeader(ContactHeader.NAME);
        URI uri = contact != null && contact.getAddress() != null ? contact.getAddress().getURI()
                : from != null ? from.getAddress().getURI() : request.getRequestURI();
        return withoutParameters(uri, true);
    }

    /**
     * The sender's address of record: its From URI without parameters (RFC 3261 §8.1.1.3), else where to reach it
     * ({@link #memberUri}).
     */
    static String aorOf(Request request, FromHeader from) {
        return from != null && from.getAddress() != null ? withoutParameters(from.getAddress().getURI(), false) : memberUri(request, from);
    }

    private static String withoutParameters(URI uri, boolean keepTransport) {
        if (uri instanceof SipURI sip) {
            StringBuilder sb = new StringBuilder(sip.getScheme()).append(':');
            if (sip.getUser() != null) {
                sb.append(sip.getUser()).append('@');
            }
            sb.append(sip.getHost());
            if (sip.getPort() > 0) {
                sb.append(':').append(sip.getPort());
            }
            if (keepTransport && sip.getTransportParam() != null) {
                sb.append(";transport=").append(sip.getTransportParam().toLowerCase(Locale.ROOT));
            }
            return sb.toString();
        }
        return uri.toString();
    }
}
