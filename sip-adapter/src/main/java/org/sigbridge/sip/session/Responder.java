package org.sigbridge.sip.session;

import java.text.ParseException;
import java.util.Locale;
import java.util.Map;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and sends the one final response to an incoming request, in its server transaction or statelessly.
 *
 * <p>Stateless answers go through the provider, which sends them to the top Via's {@code received}/{@code rport}
 * (JAIN-SIP writes both into every request it reads over a connection): over TCP or TLS that is the very
 * connection the request came in on, as RFC 3261 §18.2.2 requires. Never blocks beyond JAIN-SIP's own write
 * of one message; never throws (a response that cannot be sent is logged: the client's transaction times out).
 * Thread-safe.
 */
final class Responder {

    private static final Logger log = LoggerFactory.getLogger(Responder.class);

    private final SipProvider provider;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final String toTag = Branches.tag();

    Responder(SipProvider provider, MessageFactory messages, HeaderFactory headers) {
        this.provider = provider;
        this.messages = messages;
        this.headers = headers;
    }

    /**
     * Whether the request travelled its last hop over a reliable transport, by the sent-protocol of its top Via
     * (what RFC 3261 §18.2.2 decides by, too). Over a reliable transport the client never retransmits
     * (§17.1.2.2: Timer E only for unreliable transports), so a request needs no server transaction to absorb
     * retransmissions; its transaction would end with the final response anyway (§17.2.2, Timer J = 0).
     */
    static boolean arrivedReliably(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        if (via == null || via.getTransport() == null) {
            return false;
        }
        return switch (via.getTransport().toUpperCase(Locale.ROOT)) {
            case "TCP", "TLS", "SCTP", "TLS-SCTP", "WS", "WSS" -> true;
            default -> false;
        };
    }

    /**
     * Answers {@code request} with {@code reply}: in {@code st} when given, else statelessly (RFC 3261 §8.2.7).
     * Adds a To tag when the request had none (§8.2.6.2).
     */
    void answer(ServerTransaction st, Request request, Reply reply) {
        try {
            Response response = messages.createResponse(reply.status(), request);
            response.setReasonPhrase(reply.reason());
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (to != null && to.getTag() == null) {
                to.setTag(toTag);
            }
            for (Map.Entry<String, String> h : reply.headers().entrySet()) {
                // JAIN-SIP parses list headers (Allow, Accept) one value at a time and joins them again.
                for (String value : h.getValue().split(",")) {
                    response.addHeader(headers.createHeader(h.getKey(), value.trim()));
                }
            }
            if (st != null) {
                st.sendResponse(response);
            } else {
                provider.sendResponse(response);
            }
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            log.warn("could not answer {} {} with {}: {}", request.getMethod(), request.getRequestURI(), reply.status(), e.toString());
        }
    }
}
