package org.sigbridge.testkit.sip;

import javax.sip.message.Request;

/**
 * A SIP MESSAGE (RFC 3428) the {@link SipUserAgent} received and answered.
 *
 * @param fromUri     URI of the From header, e.g. {@code sip:bob@localhost}
 * @param toUri       URI of the To header
 * @param callId      Call-ID (a proxy keeps it; Kamailio relays statefully)
 * @param contentType {@code type/subtype} of Content-Type, or empty if there was none
 * @param body        the body decoded as UTF-8
 * @param transport   transport of the topmost Via, i.e. how the last hop sent it ({@code UDP} or {@code TCP})
 * @param answeredWith the status code the user agent answered with
 * @param request     the request itself, for any other header; treat as read-only
 */
public record ReceivedSipMessage(String fromUri, String toUri, String callId, String contentType, String body,
        String transport, int answeredWith, Request request) {

    /** The value of the first header {@code name}, or empty if absent. */
    public String header(String name) {
        javax.sip.header.Header header = request.getHeader(name);
        if (header == null) {
            return "";
        }
        String text = header.toString();
        int colon = text.indexOf(':');
        return text.substring(colon + 1).trim();
    }
}
