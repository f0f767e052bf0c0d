package org.sigbridge.sip.session;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.sigbridge.support.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS peers the SIP leg cannot reach (RFC 3261 §26.2: a handshake the peer refused, a certificate the
 * {@code tls.trust-store} does not trust, a certificate that does not name the host, RFC 5922 §7.3), folded into the
 * leg's readiness ({@link LegReporter#tls}): while a peer the configuration names fails (the outbound proxy, the
 * registrar, the target or a static member of an open channel's route: {@code configured}), the leg is DOWN with that
 * peer's cause, one line that names what to change (docs/operations.md, readiness). A failing peer the configuration
 * does not name, a dynamic member (a UA that wrote to a channel from a {@code sips:} contact), does not make the leg
 * DOWN: one user agent with a bad certificate, or gone for good, must not fail the bridge's readiness. Its senders are
 * told by envelope id as for any peer, and it is logged once (WARN) when it starts failing. Each failing peer is probed
 * with OPTIONS over TLS on a jittered backoff capped at {@code register-backoff-cap}; an answer from it, or from any
 * request sent to it over TLS, clears it, and the leg is READY again when no configured peer fails. A peer neither
 * configured nor used by a channel member any more (the member expired, {@code member-ttl}) is dropped by
 * {@link #retain}, and no longer probed.
 *
 * <p>{@link #failed} and {@link #worked} are called on any thread (JAIN-SIP's, the worker) and only hand off; the
 * state lives on the worker thread. At most {@value #MAX_PEERS} failing peers are kept (the oldest is forgotten).
 * After the worker stops, nothing more happens.
 */
public final class TlsPeers {

    static final int MAX_PEERS = 64;
    private static final Duration FIRST_PROBE = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(TlsPeers.class);

    private final String adapter;
    private final Predicate<String> configured;
    private final ScheduledExecutorService worker;
    private final LegReporter leg;
    private final Duration backoffCap;
    private final BiConsumer<String, Consumer<Boolean>> probe;
    /** Failing peers by {@code host:port}, oldest first. Worker thread only. */
    private final LinkedHashMap<String, Failing> failing = new LinkedHashMap<>();
    /** The keys of {@link #failing}, readable on any thread, so that a response over TLS hops only when it matters. */
    private final Map<String, Boolean> failingNow = new ConcurrentHashMap<>();

    /**
     * @param adapter    the adapter's name, for the log
     * @param configured whether a peer ({@code host:port}) is one the configuration names (proxy, registrar, an open
     *                   channel's route target or static member), so that its failure counts for readiness; called on
     *                   the worker thread
     * @param probe      sends OPTIONS to {@code sips:<peer>} over TLS and calls back, on any thread, whether a response came
     */
    public TlsPeers(String adapter, Predicate<String> configured, ScheduledExecutorService worker, LegReporter leg, Duration backoffCap,
                    BiConsumer<String, Consumer<Boolean>> probe) {
        this.adapter = adapter;
        this.configured = configured;
        this.worker = worker;
        this.leg = leg;
        this.backoffCap = backoffCap;
        this.probe = probe;
    }

    /** A request to {@code peer} ({@code host:port}) failed for a TLS reason, {@code cause} one line. Any thread. */
    public void failed(String peer, String cause) {
        submit(() -> {
            Failing f = failing.get(peer);
            if (f == null) {
                f = new Failing(Backoff.jittered(FIRST_PROBE, backoffCap));
                failing.put(peer, f);
                failingNow.put(peer, true);
                trim();
                if (!configured.test(peer)) {
                    // Once per failing spell; a configured peer's cause is logged once by the hub, as the leg's state.
                    log.warn("{}: {}; TLS peer {} is a channel member that wrote to a channel, not a peer the configuration names:"
                            + " its senders are told by envelope id, the leg's readiness does not count it, and it is probed"
                            + " until it works or the member expires", adapter, cause, peer);
                }
            }
            if (f.cause == null || !sameKind(f.cause, cause)) {
                f.cause = cause;
            }
            if (f.next == null && !f.probing) {
                schedule(peer, f);
            }
            publish();
        });
    }

    /** A response came from {@code peer} over TLS: the peer works. Any thread; cheap when the peer was not failing. */
    public void worked(String peer) {
        if (!failingNow.containsKey(peer)) {
            return;
        }
        submit(() -> {
            Failing f = failing.remove(peer);
            failingNow.remove(peer);
            if (f != null && f.next != null) {
                f.next.cancel(false);
            }
            publish();
        });
    }

    /**
     * Drops the failing peers that are neither {@code configured} nor {@code inUse} (no channel member's contact names
     * them any more), so they are probed no longer, and re-reads which failing peers count for readiness (channels
     * open and close). Worker thread (the adapter's sweep).
     */
    public void retain(Predicate<String> inUse) {
        for (Iterator<Map.Entry<String, Failing>> it = failing.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Failing> e = it.next();
            String peer = e.getKey();
            if (!configured.test(peer) && !inUse.test(peer)) {
                if (e.getValue().next != null) {
                    e.getValue().next.cancel(false);
                }
                failingNow.remove(peer);
                it.remove();
                log.info("{}: TLS peer {} no longer probed: no channel member uses it any more", adapter, peer);
            }
        }
        publish();
    }

    private void schedule(String peer, Failing f) {
        try {
            f.next = worker.schedule(() -> probeNow(peer), f.backoff.next().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void probeNow(String peer) {
        Failing f = failing.get(peer);
        if (f == null) {
            return;
        }
        f.next = null;
        f.probing = true;
        probe.accept(peer, answered -> submit(() -> probed(peer, answered)));
    }

    private void probed(String peer, boolean answered) {
        Failing f = failing.get(peer);
        if (f == null) {
            return;
        }
        f.probing = false;
        if (answered) {
            worked(peer);
        } else if (f.next == null) {
            schedule(peer, f);
        }
    }

    private void trim() {
        Iterator<Map.Entry<String, Failing>> oldest = failing.entrySet().iterator();
        while (failing.size() > MAX_PEERS && oldest.hasNext()) {
            Map.Entry<String, Failing> e = oldest.next();
            if (e.getValue().next != null) {
                e.getValue().next.cancel(false);
            }
            failingNow.remove(e.getKey());
            oldest.remove();
        }
    }

    private void publish() {
        String first = null;
        int counted = 0;
        for (Map.Entry<String, Failing> e : failing.entrySet()) {
            if (configured.test(e.getKey())) {
                if (first == null) {
                    first = e.getValue().cause;
                }
                counted++;
            }
        }
        if (first == null) {
            leg.tls(null);
            return;
        }
        int others = counted - 1;
        leg.tls(first + (others == 0 ? "" : " (and " + others + " other TLS peer" + (others == 1 ? "" : "s") + " failing)"));
    }

    private void submit(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            // the adapter is closing
        }
    }

    /**
     * The TLS peer ({@code host:port}) a request goes to when it travels over TLS (its top Via says TLS): its first
     * Route's host, else its Request-URI's (default port 5061, RFC 3261 §26.2). Empty for other transports.
     */
    public static Optional<String> peerOf(Request request) {
        if (request == null || !(request.getHeader(ViaHeader.NAME) instanceof ViaHeader via)
                || !"tls".equalsIgnoreCase(via.getTransport())) {
            return Optional.empty();
        }
        URI uri = request.getHeader(RouteHeader.NAME) instanceof RouteHeader route ? route.getAddress().getURI() : request.getRequestURI();
        if (!(uri instanceof SipURI sip)) {
            return Optional.empty();
        }
        return Optional.of(sip.getHost() + ":" + (sip.getPort() > 0 ? sip.getPort() : 5061));
    }

    /**
     * The TLS peer ({@code host:port}) MESSAGEs to {@code uri} go to without an outbound proxy, as {@link #peerOf} names
     * it: for a {@code sips:} URI or one with {@code transport=tls}, its host and port (default 5061, RFC 3261 §26.2);
     * empty for other URIs and text that is not a SIP URI.
     */
    public static Optional<String> peerOfUri(String uri) {
        javax.sip.address.SipURI sip = org.sigbridge.sip.mapping.SipUris.parseSipUri(uri).orElse(null);
        if (sip == null || !(sip.isSecure() || "tls".equalsIgnoreCase(sip.getTransportParam()))) {
            return Optional.empty();
        }
        return Optional.of(sip.getHost() + ":" + (sip.getPort() > 0 ? sip.getPort() : 5061));
    }

    /**
     * One line saying why a send to TLS peer {@code peer} failed and what to change, when {@code error} is a TLS failure:
     * an {@link SSLException} in its causes, or the socket JAIN-SIP hands back closed. JAIN-SIP 1.3.0-91's
     * {@code IOHandler} passes on an {@code SSLHandshakeException} but swallows any other {@code IOException} of the
     * handshake, such as the {@code SSLException} of a fatal alert the peer sent (a client certificate it refuses, no
     * protocol in common) or a connection the peer reset, and returns the socket it closed; the send then fails with
     * {@code SocketException: Socket is closed} (docs/library-assumptions.md, JAIN-SIP). A TCP connection that is refused
     * gives another message ({@code Could not connect}) and is no TLS matter: empty for it and other failures.
     */
    public static Optional<String> causeOf(Throwable error, String peer) {
        SSLException ssl = null;
        boolean untrusted = false;
        boolean closedInHandshake = false;
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SSLException s && ssl == null) {
                ssl = s;
            }
            if (t instanceof java.net.SocketException && "Socket is closed".equals(t.getMessage())) {
                closedInHandshake = true;
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof CertificateException || t instanceof CertPathValidatorException
                    || m.contains("no trusted certificate") || m.contains("unable to find valid certification path")) {
                untrusted = true;
            }
        }
        if (ssl == null) {
            return closedInHandshake ? Optional.of(handshakeFailed(peer, "the peer ended the connection")) : Optional.empty();
        }
        if (untrusted) {
            return Optional.of("the certificate of TLS peer " + peer + " is not trusted (" + ssl.getMessage()
                    + "): add the CA that issued it to the sip adapter's tls.trust-store, or route to a peer whose certificate"
                    + " that store trusts");
        }
        return Optional.of(handshakeFailed(peer, ssl.getMessage()));
    }

    /**
     * Whether two causes from {@link #causeOf} name the same kind of failure of the same peer (their text before the
     * parenthesised detail). A failing spell keeps its first line while the kind stays the same: one refused handshake
     * reads as the peer's fatal alert on one attempt and as a closed connection on the next, depending on where JAIN-SIP
     * saw it, and a new line each time would make the leg's state, and its log line, change with nothing changed.
     */
    static boolean sameKind(String a, String b) {
        int i = a.indexOf(" (");
        int j = b.indexOf(" (");
        return i > 0 && i == j && a.regionMatches(0, b, 0, i);
    }

    private static String handshakeFailed(String peer, String why) {
        return "the TLS handshake with " + peer + " failed (" + why + "): check that " + peer + " speaks TLS on that port,"
                + " accepts TLS 1.2 or later and, if it asks for a client certificate, trusts the CA that issued the sip"
                + " adapter's tls.key-store certificate";
    }

    /** A failing peer's state; worker thread only. */
    private static final class Failing {
        final Backoff backoff;
        String cause;
        ScheduledFuture<?> next;
        boolean probing;

        Failing(Backoff backoff) {
            this.backoff = backoff;
        }
    }
}
