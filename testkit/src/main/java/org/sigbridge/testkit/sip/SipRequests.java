package org.sigbridge.testkit.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.UUID;

import javax.sip.InvalidArgumentException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;

/**
 * Builds the out-of-dialog requests of one {@link SipUserAgent}: REGISTER and MESSAGE for domain
 * {@code localhost}, each with a preloaded loose Route to the proxy (RFC 3261 §8.1.2) that also picks the
 * transport, a Via with rport (RFC 3581) and a fresh branch. Thread-safe (JAIN-SIP factories are).
 */
final class SipRequests {
    static final String DOMAIN = "localhost";

    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;
    private final SipProvider provider;
    private final String user;
    private final int localPort;
    private final int proxyPort;

    SipRequests(AddressFactory addresses, HeaderFactory headers, MessageFactory messages, SipProvider provider,
            String user, int localPort, int proxyPort) {
        this.addresses = addresses;
        this.headers = headers;
        this.messages = messages;
        this.provider = provider;
        this.user = user;
        this.localPort = localPort;
        this.proxyPort = proxyPort;
    }

    /** REGISTER sip:localhost binding {@code sip:USER@127.0.0.1:PORT;transport=T} for {@code expiresSeconds}. */
    Request register(SipTransport transport, CallIdHeader callId, long cseq, int expiresSeconds)
            throws ParseException, InvalidArgumentException {
        Address aor = addresses.createAddress(addresses.createSipURI(user, DOMAIN));
        SipURI contactUri = addresses.createSipURI(user, "127.0.0.1");
        contactUri.setPort(localPort);
        contactUri.setTransportParam(transport.token());
        Request request = messages.createRequest(addresses.createSipURI(null, DOMAIN), Request.REGISTER, callId,
                headers.createCSeqHeader(cseq, Request.REGISTER), headers.createFromHeader(aor, newTag()),
                headers.createToHeader(aor, null), List.of(via(transport)), headers.createMaxForwardsHeader(70));
        request.addHeader(headers.createContactHeader(addresses.createAddress(contactUri)));
        request.addHeader(headers.createExpiresHeader(expiresSeconds));
        request.addHeader(route(transport));
        return request;
    }

    /**
     * MESSAGE sip:TO@localhost with the given body (UTF-8) and {@code type/subtype} content type; with {@code withContact}
     * it carries a Contact {@code sip:USER@127.0.0.1:PORT;transport=T}, as Linphone, baresip and JsSIP send.
     */
    Request message(String toUser, String contentType, String body, SipTransport transport, long cseq, boolean withContact)
            throws ParseException, InvalidArgumentException {
        return message(addresses.createSipURI(toUser, DOMAIN), contentType, body, transport, cseq, withContact);
    }

    /** {@link #message(String, String, String, SipTransport, long, boolean)} to any SIP URI, still through the proxy. */
    Request message(String requestUri, String contentType, String body, SipTransport transport, long cseq)
            throws ParseException, InvalidArgumentException {
        return message((SipURI) addresses.createURI(requestUri), contentType, body, transport, cseq, false);
    }

    /**
     * {@link #message(String, String, String, SipTransport, long)} with a Contact of the caller's choosing (e.g. a
     * {@code sips:} URI: where the UA says it wants requests, RFC 3261 §8.1.1.8).
     */
    Request message(String requestUri, String contentType, String body, SipTransport transport, long cseq, String contact)
            throws ParseException, InvalidArgumentException {
        Request request = message((SipURI) addresses.createURI(requestUri), contentType, body, transport, cseq, false);
        request.addHeader(headers.createContactHeader(addresses.createAddress(addresses.createURI(contact))));
        return request;
    }

    private Request message(SipURI target, String contentType, String body, SipTransport transport, long cseq, boolean withContact)
            throws ParseException, InvalidArgumentException {
        Request request = messages.createRequest(target, Request.MESSAGE, provider.getNewCallId(),
                headers.createCSeqHeader(cseq, Request.MESSAGE),
                headers.createFromHeader(addresses.createAddress(addresses.createSipURI(user, DOMAIN)), newTag()),
                headers.createToHeader(addresses.createAddress(target), null), List.of(via(transport)),
                headers.createMaxForwardsHeader(70));
        request.addHeader(route(transport));
        if (withContact) {
            SipURI contactUri = addresses.createSipURI(user, "127.0.0.1");
            contactUri.setPort(localPort);
            contactUri.setTransportParam(transport.token());
            request.addHeader(headers.createContactHeader(addresses.createAddress(contactUri)));
        }
        String[] type = contentType.split("/", 2);
        request.setContent(body.getBytes(StandardCharsets.UTF_8),
                headers.createContentTypeHeader(type[0], type.length > 1 ? type[1] : ""));
        return request;
    }

    private ViaHeader via(SipTransport transport) throws ParseException, InvalidArgumentException {
        ViaHeader via = headers.createViaHeader("127.0.0.1", localPort, transport.token(), null);
        via.setRPort();
        return via;
    }

    private javax.sip.header.RouteHeader route(SipTransport transport) throws ParseException {
        SipURI proxy = addresses.createSipURI(null, "127.0.0.1");
        proxy.setPort(proxyPort);
        proxy.setLrParam();
        proxy.setTransportParam(transport.token());
        return headers.createRouteHeader(addresses.createAddress(proxy));
    }

    private static String newTag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
