package org.sigbridge.sip.session;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.sip.SipRoute;
import org.sigbridge.sip.SipSettings;
import org.sigbridge.sip.SipStats;
import org.sigbridge.sip.mapping.ContentKind;
import org.sigbridge.sip.mapping.OutboundAddress;
import org.sigbridge.sip.mapping.SipEnvelopeMapper;
import org.sigbridge.sip.mapping.TransportChoice;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sigbridge.support.EnvelopeMdc;

/**
 * Sends envelopes as MESSAGEs, one {@link Conversation} per (channel, member). {@link #send} runs on the
 * publishing thread and only enqueues; requests are built and sent on the worker thread. A final
 * failure (4xx/5xx/6xx, 408 or no answer within the request timeout, a transport error) is reported to
 * the envelope's sender by id through {@link AdapterContext#reportFailure}: nothing is dropped silently.
 */
public final class OutboundSender {

    private static final Logger log = LoggerFactory.getLogger(OutboundSender.class);
    private static final Duration IDLE_CONVERSATION = Duration.ofMinutes(15);

    private final String adapter;
    private final SipSettings settings;
    private final SipEnvelopeMapper mapper;
    private final ClientRequests requests;
    private final ScheduledExecutorService worker;
    private final AdapterContext hub;
    private final SipStats stats;
    private final Clock clock;
    private final java.util.function.BiPredicate<String, String> ownChannelAor;
    private final ConcurrentHashMap<String, Conversation> conversations = new ConcurrentHashMap<>();
    private final java.util.Set<String> callIds = ConcurrentHashMap.newKeySet();
    private final Object idle = new Object();
    private volatile boolean closed;

    /**
     * @param ownChannelAor whether (channel, member URI) is the channel's own AOR, which this bridge registers
     */
    public OutboundSender(String adapter, SipSettings settings, SipEnvelopeMapper mapper, ClientRequests requests, ScheduledExecutorService worker,
                          AdapterContext hub, SipStats stats, java.util.function.BiPredicate<String, String> ownChannelAor) {
        this.adapter = adapter;
        this.ownChannelAor = ownChannelAor;
        this.settings = settings;
        this.mapper = mapper;
        this.requests = requests;
        this.worker = worker;
        this.hub = hub;
        this.stats = stats;
        this.clock = hub.clock();
    }

    /**
     * Queues one MESSAGE per member. Non-blocking; called on the publishing thread.
     *
     * @return delivered when at least one member's conversation took it (members whose queue is full
     *         are reported separately), rejected when none could
     */
    public DeliveryResult send(Envelope envelope, SipRoute route, List<String> memberUris) {
        if (closed) {
            return new DeliveryResult.Rejected(ErrorCode.SHUTTING_DOWN, "the SIP leg is shutting down");
        }
        int bodyBytes = SipEnvelopeMapper.bodyText(envelope, route.content()).getBytes(StandardCharsets.UTF_8).length;
        if (bodyBytes > settings.maxBodyBytes()) {
            return new DeliveryResult.Rejected(ErrorCode.TOO_LARGE, "SIP MESSAGE body of " + bodyBytes + " bytes is above max-body-bytes "
                    + settings.maxBodyBytes());
        }
        Instant now = clock.instant();
        List<String> full = new ArrayList<>();
        int accepted = 0;
        for (String uri : memberUris) {
            Conversation c = conversations.computeIfAbsent(envelope.channel() + '\n' + uri, k -> {
                Conversation created = new Conversation(envelope.channel(), uri, settings.listenHost(), settings.maxQueuedPerMember(),
                        window(route, uri), now);
                callIds.add(created.callId);
                return created;
            });
            Conversation.Offer offer = c.offer(new Conversation.Outgoing(envelope, route), now);
            if (offer == Conversation.Offer.FULL) {
                full.add(uri);
                stats.queueOverflows().increment();
                continue;
            }
            accepted++;
            if (offer == Conversation.Offer.START && !execute(() -> sendNext(c))) {
                c.clear();
                return new DeliveryResult.Rejected(ErrorCode.SHUTTING_DOWN, "the SIP leg is shutting down");
            }
        }
        if (accepted == 0 && !full.isEmpty()) {
            return new DeliveryResult.Rejected(ErrorCode.UPSTREAM_UNAVAILABLE, "SIP queue full for " + String.join(", ", full));
        }
        for (String uri : full) {
            execute(() -> hub.reportFailure(envelope, ErrorCode.UPSTREAM_UNAVAILABLE, "SIP queue full for " + uri));
        }
        return DeliveryResult.DELIVERED;
    }

    /**
     * How many MESSAGEs of one conversation may be in flight: {@code max-in-flight-per-member} when every request goes
     * over one ordered connection (a route that forces TCP, or a {@code sips:} member over TLS), else 1. Over UDP, or
     * with {@code auto} switching between UDP and TCP by size, a later request could overtake an earlier one.
     */
    private int window(SipRoute route, String memberUri) {
        boolean ordered = route.transport() == TransportChoice.TCP || memberUri.regionMatches(true, 0, "sips:", 0, 5);
        return ordered ? settings.maxInFlightPerMember() : 1;
    }

    /** Worker thread: builds and sends the conversation's next MESSAGEs, as many as its window allows, in order. */
    private void sendNext(Conversation c) {
        Conversation.Outgoing next;
        while ((next = c.take()) != null) {
            Envelope envelope = next.envelope();
            Request request;
            try {
                request = mapper.toMessage(envelope, next.route().content(), new OutboundAddress(c.memberUri, c.callId, c.fromTag,
                        c.nextCseq(), Branches.branch(), settings.proxyAddress(), next.route().transport()));
            } catch (IllegalArgumentException e) {
                c.done();
                failed(c, envelope, ErrorCode.INTERNAL, e.getMessage());
                continue;
            }
            String transport = SipEnvelopeMapper.transportOf(request);
            if (!transport.equals("udp")) {
                stats.sentOverTcp().increment();
            }
            log.debug("envelope {} on '{}' -> MESSAGE to {} over {}", envelope.id(), c.channel, c.memberUri, transport);
            requests.send(request, (status, reason, response) -> completed(c, envelope, status, reason, response));
        }
        if (!c.isBusy()) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /**
     * Any thread: one MESSAGE's final outcome. With several in flight each has its own: a failure is reported for
     * exactly its envelope, by id, whatever happened to the ones sent before or after it.
     */
    private void completed(Conversation c, Envelope envelope, int status, String reason, Optional<Response> response) {
        response.ifPresent(r -> c.sawCseq(((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber()));
        Conversation.After after = c.done();
        if (status >= 200 && status < 300) {
            stats.messagesSent().increment();
        } else if (status == InboundHandler.OWN_COPY_STATUS && InboundHandler.OWN_COPY_REASON.equals(reason)) {
            // Our own copy's answer, relayed by the registrar: no other binding of the channel's AOR answered, so nobody
            // else is there (one that is there and fails or stays silent outranks it, docs/design.md §5.6). Sent.
            stats.messagesSent().increment();
            log.debug("envelope {} on '{}': {} has no other binding", envelope.id(), c.channel, c.memberUri);
        } else if (status == 404 && envelope.isAddressed()) {
            // An addressed MESSAGE to one member, or to the channel's shared AOR for a page on another bridge (every
            // branch answered 404, our own copy included): that member or the participant it names is not there.
            failed(c, envelope, ErrorCode.NO_SUCH_RECIPIENT, "SIP " + status + " " + reason + " from " + c.memberUri);
        } else if (status == 404 && ownChannelAor.test(c.channel, c.memberUri)) {
            // The channel's own AOR, which we register: 404 means nobody is bound to it yet, not even this bridge
            // (our REGISTER is still on its way). Nobody else is there, so nothing was lost.
            log.debug("envelope {} on '{}': {} has no binding yet", envelope.id(), c.channel, c.memberUri);
        } else {
            ErrorCode code = status == 408 ? ErrorCode.UPSTREAM_TIMEOUT
                    : response.isEmpty() ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.UPSTREAM_REJECTED;
            failed(c, envelope, code, "SIP " + status + " " + reason + " from " + c.memberUri);
        }
        // Hand the conversation to the worker only when envelopes wait behind the window: with nothing queued (the usual
        // case, a browser sends its next envelope after this one arrived) the next offer starts the send itself, and
        // waking the worker for nothing cost a thread hand-off per MESSAGE (docs/benchmarks.md, session 14).
        if (after == Conversation.After.SEND) {
            if (!execute(() -> sendNext(c))) {
                shutDown(c);
            }
        } else if (after == Conversation.After.IDLE) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Reports one envelope as not delivered to this member; the conversation goes on with the next. */
    private void failed(Conversation c, Envelope envelope, ErrorCode code, String detail) {
        stats.sendFailures().increment();
        try (EnvelopeMdc mdc = EnvelopeMdc.open(adapter, c.channel, envelope.id())) {
            log.info("envelope {} on '{}' not delivered to {}: {}", envelope.id(), c.channel, c.memberUri, detail);
            hub.reportFailure(envelope, code, detail);
        }
    }

    /**
     * Whether a Call-ID is one of our conversations': a MESSAGE we sent that a registrar forked back to us
     * (we register the channel's AOR too). Any thread.
     */
    public boolean isOwnCallId(String callId) {
        return callIds.contains(callId);
    }

    /** Forgets conversations idle for a long time, so the map stays bounded. Worker thread. */
    public void expireIdle() {
        Instant cutoff = clock.instant().minus(IDLE_CONVERSATION);
        conversations.values().removeIf(c -> {
            boolean idleLong = c.isIdleSince(cutoff);
            if (idleLong) {
                callIds.remove(c.callId);
            }
            return idleLong;
        });
    }

    /** Waits up to {@code grace} for every queued and in-flight MESSAGE to finish. Not on the worker. */
    public void drain(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (idle) {
            while (conversations.values().stream().anyMatch(Conversation::isBusy)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    idle.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Refuses new envelopes and reports every waiting one as {@code shutting_down}. Idempotent. */
    public void close() {
        closed = true;
        conversations.values().forEach(this::shutDown);
    }

    private void shutDown(Conversation c) {
        for (Conversation.Outgoing o : c.clear()) {
            hub.reportFailure(o.envelope(), ErrorCode.SHUTTING_DOWN, "the SIP leg closed before sending to " + c.memberUri);
        }
    }

    private boolean execute(Runnable task) {
        try {
            worker.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }
}
