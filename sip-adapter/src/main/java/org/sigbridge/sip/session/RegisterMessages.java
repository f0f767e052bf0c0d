package org.sigbridge.sip.session;

import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.ListIterator;
import java.util.Set;
import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sigbridge.sip.SipSettings;
import org.sigbridge.sip.stack.SipStackRunner;

/**
 * The REGISTER requests of one {@link Registration} and what it reads in the registrar's answers (RFC 3261 §10): one
 * Call-ID and From tag for every REGISTER of this instance, CSeq increasing (§10.2), the contact
 * {@code sip:user@listen-host:listen-port} (with the transport when it is not UDP, RFC 3263 §4.1) and a loose route
 * through the configured proxy; from a 2xx, the lifetime granted to our contact (§10.2.4) and the AOR's other
 * bindings (§10.3 step 8).
 *
 * <p>Not thread-safe: used on the adapter's worker thread only, as its {@link Registration} is.
 */
final class RegisterMessages {

    private final SipSettings settings;
    private final String user;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final String callId;
    private final String fromTag = Branches.tag();
    private long cseq;

    /** @param user the AOR's user part, already escaped (RFC 3261 §25.1) */
    RegisterMessages(SipSettings settings, String user, SipStackRunner stack) {
        this.settings = settings;
        this.user = user;
        this.messages = stack.messageFactory();
        this.headers = stack.headerFactory();
        this.addresses = stack.addressFactory();
        this.callId = Branches.callId(settings.listenHost());
    }

    /** A REGISTER of the AOR with the next CSeq, asking for {@code expiresSeconds} (0 removes the binding). */
    Request build(int expiresSeconds) {
        try {
            SipURI requestUri = addresses.createSipURI(null, settings.domain());
            SipURI aorUri = addresses.createSipURI(user, settings.domain());
            Address aor = addresses.createAddress(aorUri);
            String transport = settings.registerTransport();
            ViaHeader via = headers.createViaHeader(settings.listenHost(), settings.listenPort(), transport, Branches.branch());
            via.setRPort();
            Request request = messages.createRequest(requestUri, Request.REGISTER, headers.createCallIdHeader(callId),
                    headers.createCSeqHeader(++cseq, Request.REGISTER), headers.createFromHeader(aor, fromTag),
                    headers.createToHeader(aor, null), List.of(via), headers.createMaxForwardsHeader(70));
            SipURI contactUri = addresses.createSipURI(user, settings.listenHost());
            contactUri.setPort(settings.listenPort());
            if (!transport.equals("udp")) {
                contactUri.setTransportParam(transport); // requests for this binding come over TCP (RFC 3263 §4.1)
            }
            request.addHeader(headers.createContactHeader(addresses.createAddress(contactUri)));
            request.addHeader(headers.createExpiresHeader(expiresSeconds));
            settings.proxyAddress().ifPresent(proxy -> {
                try {
                    SipURI route = addresses.createSipURI(null, proxy.host());
                    route.setPort(proxy.port());
                    route.setLrParam();
                    if (!transport.equals("udp")) {
                        route.setTransportParam(transport);
                    }
                    request.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
                } catch (ParseException e) {
                    throw new IllegalArgumentException("bad proxy " + proxy, e);
                }
            });
            return request;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("cannot build REGISTER for " + user + "@" + settings.domain() + ": " + e.getMessage(), e);
        }
    }

    /** Learns the CSeq an answer carries, so that the next REGISTER's is above every one used so far (§10.2). */
    void answered(Response response) {
        cseq = Math.max(cseq, ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber());
    }

    /** The lifetime the registrar granted our contact (§10.2.4), else the Expires header, else what we asked. */
    long grantedSeconds(Response response) {
        ListIterator<?> contacts = response.getHeaders(ContactHeader.NAME);
        while (contacts.hasNext()) {
            ContactHeader c = (ContactHeader) contacts.next();
            if (c.getAddress().getURI() instanceof SipURI uri && settings.listenPort() == uri.getPort()
                    && settings.listenHost().equalsIgnoreCase(uri.getHost()) && c.getExpires() > 0) {
                return c.getExpires();
            }
        }
        ExpiresHeader expires = (ExpiresHeader) response.getHeader(ExpiresHeader.NAME);
        return expires != null && expires.getExpires() > 0 ? expires.getExpires() : settings.registerExpires().toSeconds();
    }

    /** The contact keys ({@link ContactKeys#of}) of the AOR's bindings in a 2xx, but ours. */
    Set<String> otherBindings(Response response) {
        Set<String> keys = new HashSet<>();
        String own = ContactKeys.of(user + "@" + settings.listenHost() + ":" + settings.listenPort());
        ListIterator<?> contacts = response.getHeaders(ContactHeader.NAME);
        while (contacts.hasNext()) {
            ContactHeader c = (ContactHeader) contacts.next();
            if (c.getAddress() != null && c.getAddress().getURI() instanceof SipURI uri) {
                String key = ContactKeys.of(uri.toString());
                if (!key.equals(own)) {
                    keys.add(key);
                }
            }
        }
        return Set.copyOf(keys);
    }
}
