package org.sigbridge.sip.session;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.sigbridge.envelope.InvalidJsonException;
import org.sigbridge.envelope.JsonObjectReader;
import org.sigbridge.envelope.JsonValue;
import org.sigbridge.envelope.Origin;
import org.sigbridge.sip.SipStats;
import org.sigbridge.sip.mapping.InboundMapping;
import org.sigbridge.sip.mapping.SipEnvelopeMapper;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.support.RecentIds;
import org.sigbridge.support.TokenBucket;
import org.sigbridge.support.EnvelopeMdc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every incoming request exactly once (docs/design.md §5.5): maps a MESSAGE, publishes it on its channel
 * and answers 200 (delivered), 202 (accepted, queued), 480 (every participant refused it), 400, 403 (not
 * permitted by routes), 404 (no such channel — on a cluster, only when the channel is not shared across instances; or,
 * for a body whose {@code "to"} names a recipient, no such participant here), 413, 415 + Accept, or 503 + Retry-After
 * when over the rate
 * limit or draining; OPTIONS 200;
 * any other method 405 + Allow. ACK gets nothing (RFC 3261 §17.2.1).
 *
 * <p>Runs on JAIN-SIP threads and never blocks: the hub's publish is non-blocking. Requests that came over
 * UDP are answered in a server transaction, which absorbs their retransmissions (RFC 3261 §17.2.2); requests
 * over TCP or TLS are answered statelessly (§8.2.7), since nothing retransmits them (§17.1.2.2). Either way a
 * request seen before (same Call-ID, CSeq and From tag: a retransmission after the transaction ended, or a
 * client repeating itself) is answered with the earlier status and not published again, and an envelope id
 * seen before is answered 200 and not published again. Our own MESSAGEs forked back to us (recognised by
 * Call-ID) are answered statelessly before any of that bookkeeping: {@link #OWN_COPY_STATUS}, which every other
 * branch's answer outranks, or 404 when the envelope is addressed (it went to the shared AOR because its recipient is
 * on another bridge). A MESSAGE with an RFC 4575
 * {@code application/conference-info+xml} body is another bridge announcing its participants (docs/design.md §5.7):
 * {@link ConferenceInfoInbound} applies it, and it never becomes an envelope.
 */
public final class InboundHandler {

    private static final Logger log = LoggerFactory.getLogger(InboundHandler.class);
    /**
     * The status of our own broadcast MESSAGE forked back from the channel's AOR (docs/design.md §5.6): a 5xx no UA sends
     * (RFC 3261 §21.5 defines none above 513), so the registrar ranks every other branch's final response above it
     * (RFC 3261 §16.7 step 6: it relays the best, and a 2xx at once). An own {@code 200} would end the forked transaction:
     * Kamailio stops retransmitting to the other bindings once it relays a 2xx, so one copy lost on its way to another
     * bridge, or that bridge's refusal, was lost without the sender hearing of it. With this answer the registrar keeps
     * retransmitting to the other bindings until they answer, and relays their failure (or its own 408); the sender
     * gets this status back only when no other binding answered at all, i.e. none was there.
     */
    public static final int OWN_COPY_STATUS = 599;
    /** The reason phrase of {@link #OWN_COPY_STATUS}, by which the sender knows its own copy's answer came back. */
    public static final String OWN_COPY_REASON = "Own Copy (for the other bindings to answer)";
    private static final Reply OWN_COPY = new Reply(OWN_COPY_STATUS, OWN_COPY_REASON, Map.of());
    /**
     * Our own addressed envelope forked back from the channel's shared AOR: it went there because its recipient is not
     * on this bridge (docs/design.md §5.6), so this branch has nobody to deliver it to; the registrar forwards a 2xx from
     * the bridge that has the recipient, and this 404 only when no branch has it, so the sender hears of it.
     */
    private static final Reply OWN_ADDRESSED_COPY = new Reply(404, "Not Found (own message; its recipient is not here)", Map.of());

    /** Our own participant announcement (docs/design.md §5.7) forked back from the channel's AOR. */
    private static final Reply OWN_ANNOUNCEMENT = new Reply(200, "OK (own conference-info)", Map.of());

    private final String adapter;
    private final SipProvider provider;
    private final SipEnvelopeMapper mapper;
    private final AdapterContext hub;
    private final Membership membership;
    private final Function<String, Optional<String>> linkIds;
    private final java.util.function.Predicate<String> ownCallIds;
    private final TokenBucket rateLimit;
    private final SipStats stats;
    private final Clock clock;
    private final RecentIds<String, Integer> requestsSeen = new RecentIds<>(4096);
    private final RecentIds<String, Integer> envelopesSeen = new RecentIds<>(4096);
    private final Responder responder;
    private final ConferenceInfoInbound conferenceInfo;
    private volatile boolean draining;

    /**
     * @param linkIds    the endpoint id of a channel's open link, for the envelope's origin
     * @param ownCallIds whether a Call-ID is one of our outgoing conversations (a MESSAGE forked back to us)
     * @param announced  the participants other bridges announce (docs/design.md §5.7), fed by conference-info MESSAGEs
     * @param announcer  this bridge's announcements, asked for full state when a new announcing bridge appears
     */
    public InboundHandler(String adapter, SipProvider provider, MessageFactory messages, HeaderFactory headers,
                          SipEnvelopeMapper mapper, AdapterContext hub, Membership membership,
                          Function<String, Optional<String>> linkIds, java.util.function.Predicate<String> ownCallIds,
                          TokenBucket rateLimit, SipStats stats, AnnouncedParticipants announced, ParticipantAnnouncer announcer) {
        this.conferenceInfo = new ConferenceInfoInbound(adapter, mapper, linkIds, membership, announced, announcer, stats, hub);
        this.adapter = adapter;
        this.provider = provider;
        this.responder = new Responder(provider, messages, headers);
        this.mapper = mapper;
        this.hub = hub;
        this.membership = membership;
        this.linkIds = linkIds;
        this.ownCallIds = ownCallIds;
        this.rateLimit = rateLimit;
        this.stats = stats;
        this.clock = hub.clock();
    }

    /** From now on MESSAGEs are answered 503 + Retry-After (the bridge is shutting down). */
    public void draining() {
        draining = true;
    }

    /** Handles one request (JAIN-SIP thread). */
    public void handle(RequestEvent event) {
        Request request = event.getRequest();
        if (Request.ACK.equals(request.getMethod())) {
            return;
        }
        stats.requestsIn().increment();
        if (Request.MESSAGE.equals(request.getMethod()) && isOwn(request)) {
            // Our own MESSAGE, forked back by the registrar to the channel AOR we registered: not news. Checked
            // before any bookkeeping and answered statelessly (RFC 3261 §8.2.7): every copy, a retransmission
            // included, gets the same answer and nothing is published, so no transaction state is needed. Never a
            // 2xx for an envelope: that would end the fork before the other bindings answered (OWN_COPY_STATUS).
            if (SipEnvelopeMapper.isConferenceInfo(request)) {
                responder.answer(null, request, OWN_ANNOUNCEMENT); // our participants, told to ourselves: not a duplicate envelope
                return;
            }
            stats.duplicates().increment();
            responder.answer(null, request, isAddressed(request) ? OWN_ADDRESSED_COPY : OWN_COPY);
            return;
        }
        ServerTransaction st = event.getServerTransaction();
        if (st == null && !Responder.arrivedReliably(request)) {
            // Over UDP the client retransmits until it hears our final response (RFC 3261 §17.1.2.2); the server
            // transaction answers those from its state (§17.2.2) for 32 s (Timer J). Over TCP/TLS nothing is
            // retransmitted, so the request is answered statelessly and a repeat is caught by requestsSeen.
            try {
                st = provider.getNewServerTransaction(request);
            } catch (TransactionAlreadyExistsException e) {
                stats.duplicates().increment();
                return; // a retransmission the transaction answers itself
            } catch (TransactionUnavailableException e) {
                st = null; // answer statelessly
            }
        }
        responder.answer(st, request, decide(request));
    }

    /** Whether a MESSAGE's body is a JSON envelope that names a recipient ({@code "to"}). */
    private static boolean isAddressed(Request request) {
        byte[] body = request.getRawContent();
        if (body == null || body.length == 0 || body[0] != '{') {
            return false;
        }
        try {
            JsonValue to = JsonObjectReader.readObject(new String(body, StandardCharsets.UTF_8)).get("to");
            return to != null && to.isString() && !to.asText().isEmpty();
        } catch (InvalidJsonException e) {
            return false;
        }
    }

    private boolean isOwn(Request request) {
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        return callId != null && ownCallIds.test(callId.getCallId());
    }

    private Reply decide(Request request) {
        switch (request.getMethod()) {
            case Request.MESSAGE -> {
                return message(request);
            }
            case Request.OPTIONS -> {
                return new Reply(200, "OK", Map.of("Allow", SipEnvelopeMapper.ALLOW, "Accept", SipEnvelopeMapper.ACCEPT));
            }
            default -> {
                stats.refused().increment();
                return new Reply(405, "Method Not Allowed", Map.of("Allow", SipEnvelopeMapper.ALLOW));
            }
        }
    }

    private Reply message(Request request) {
        String key = requestKey(request);
        Optional<Integer> earlier = requestsSeen.putIfAbsent(key, 0);
        if (earlier.isPresent()) {
            // Answered before (or being handled right now on another JAIN-SIP thread): never publish twice.
            stats.duplicates().increment();
            int status = earlier.get() == 0 ? 200 : earlier.get();
            return new Reply(status, status == 200 ? "OK (retransmission)" : "Retransmission", Map.of());
        }
        Reply reply = publish(request);
        if (reply.status() >= 500) {
            requestsSeen.remove(key); // may be retried later
        } else {
            requestsSeen.update(key, reply.status());
        }
        return reply;
    }

    private Reply publish(Request request) {
        if (draining || !rateLimit.tryTake()) {
            stats.overloaded().increment();
            long after = draining ? 5 : rateLimit.retryAfterSeconds();
            return new Reply(503, "Service Unavailable", Map.of("Retry-After", Long.toString(after)));
        }
        if (SipEnvelopeMapper.isConferenceInfo(request)) {
            return conferenceInfo.receive(request); // another bridge's participants: never an envelope (docs/design.md §5.7)
        }
        InboundMapping mapped = mapper.toEnvelope(request, this::originOn, hub.envelopeIds(), clock.instant());
        if (mapped instanceof InboundMapping.Refused refused) {
            stats.refused().increment();
            return new Reply(refused.status(), refused.reason(), refused.headers());
        }
        InboundMapping.Accepted accepted = (InboundMapping.Accepted) mapped;
        if (accepted.envelope().isAddressed()
                && conferenceInfo.onAnotherInstanceBoundToTheAor(accepted.envelope().channel(), accepted.envelope().recipient())) {
            // The registrar forked it to that instance too, which delivers it: not a second time through the cluster.
            stats.refused().increment();
            return new Reply(404, "Not Found (its recipient is on another instance of this cluster, which got it too)", Map.of());
        }
        if (envelopesSeen.putIfAbsent(accepted.envelope().id(), 200).isPresent()) {
            stats.duplicates().increment();
            return new Reply(200, "OK (already delivered)", Map.of());
        }
        String channel = accepted.envelope().channel();
        boolean openedNow = false;
        if (linkIds.apply(channel).isEmpty()) {
            // No page has the channel open here; on a cluster its pages may all be on other instances (docs/cluster.md
            // §2): open it here, so this instance, which alone reaches the UA, holds it as a member, announces it and
            // sends it what the others accept. On a single bridge this is false and the hub answers 404 below.
            openedNow = hub.openForUpstream(channel, adapter);
        }
        // A member before its first envelope is out: a browser that answers at once must find the phone to answer.
        boolean joinedNow = membership.touch(channel, accepted.member());
        if (openedNow && !joinedNow) {
            membership.announce(channel); // members that outlived the channel: known again before the envelope goes out
        }
        PublishResult result;
        try (EnvelopeMdc mdc = EnvelopeMdc.open(adapter, accepted.envelope())) {
            result = hub.publishInbound(accepted.envelope());
        }
        if (result instanceof PublishResult.Refused refused) {
            envelopesSeen.remove(accepted.envelope().id());
            if (joinedNow) {
                membership.forget(accepted.envelope().channel(), accepted.member());
            }
            stats.refused().increment();
            log.debug("MESSAGE for '{}' refused: {}", accepted.envelope().channel(), refused.detail());
            return switch (refused.code()) {
                case NOT_PERMITTED -> new Reply(403, "Forbidden (channel not permitted by routes)", Map.of());
                case NO_SUCH_CHANNEL -> new Reply(404, "Not Found (no such channel)", Map.of());
                case NO_SUCH_RECIPIENT -> new Reply(404, "Not Found (no such recipient)", Map.of());
                default -> new Reply(500, "Server Internal Error (" + refused.code().wire() + ")", Map.of());
            };
        }
        PublishResult.Published published = (PublishResult.Published) result;
        stats.delivered().increment();
        log.debug("envelope {} from {} published on '{}' ({} delivered, {} queued)", accepted.envelope().id(),
                accepted.member().uri(), accepted.envelope().channel(), published.delivered(), published.queued());
        if (published.delivered() > 0) {
            return new Reply(200, "OK", Map.of());
        }
        if (published.queued() > 0) {
            return new Reply(202, "Accepted", Map.of());
        }
        // Every participant refused it (slow consumers being disconnected): say so rather than 200.
        return new Reply(480, "Temporarily Unavailable (no participant took it)", Map.of());
    }

    /** Where an envelope on {@code channel} enters: the channel's open link, else the adapter itself. */
    private Origin originOn(String channel) {
        return new Origin(adapter, linkIds.apply(channel).orElse("sip:" + adapter));
    }

    /** Identifies a request across retransmissions (RFC 3261 §17.2.3 without the branch, which a new transaction changes). */
    private static String requestKey(Request request) {
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        return callId.getCallId() + ' ' + cseq.getSeqNumber() + ' ' + cseq.getMethod() + ' ' + from.getTag();
    }
}
