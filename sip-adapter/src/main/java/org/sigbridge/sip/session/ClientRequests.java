package org.sigbridge.sip.session;

import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.ClientTransaction;
import javax.sip.ObjectInUseException;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends out-of-dialog requests in client transactions and delivers exactly one final outcome per request.
 *
 * <p>{@link #send} runs on the worker thread (a TCP connect may block briefly); the {@code on…} methods
 * run on JAIN-SIP threads and only hand off. A 401/407 is answered once with digest credentials
 * (RFC 3261 §22.2) when an {@link AuthenticationHelper} is given. Each request has its own deadline,
 * shorter than JAIN-SIP's 32 s Timer F, after which it completes as 408 and its client transaction is terminated:
 * a request reported as not delivered must not be retransmitted (Timer E, RFC 3261 §17.1.2.2) and reach its
 * target late, after a proxy that was down comes back.
 */
public final class ClientRequests {

    private static final Logger log = LoggerFactory.getLogger(ClientRequests.class);

    private final SipProvider provider;
    private final ScheduledExecutorService worker;
    private final Duration timeout;
    private final Optional<AuthenticationHelper> auth;
    private volatile TlsPeers tlsPeers;

    public ClientRequests(SipProvider provider, ScheduledExecutorService worker, Duration timeout, Optional<AuthenticationHelper> auth) {
        this.provider = provider;
        this.worker = worker;
        this.timeout = timeout;
        this.auth = auth;
    }

    /**
     * Where TLS outcomes go from now on (a send refused for a TLS reason, a response over TLS): set once by the adapter's
     * start, before traffic.
     */
    public void reportTlsTo(TlsPeers peers) {
        this.tlsPeers = peers;
    }

    /** Sends a request now, on the calling (worker) thread. {@code callback} gets exactly one outcome. */
    public void send(Request request, ResponseCallback callback) {
        Attempt attempt = new Attempt(callback);
        try {
            ClientTransaction ct = provider.getNewClientTransaction(request);
            ct.setApplicationData(attempt);
            attempt.transaction = ct;
            ct.sendRequest();
        } catch (SipException | RuntimeException e) {
            log.debug("cannot send {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString(), e);
            Optional<String> peer = TlsPeers.peerOf(request);
            Optional<String> tls = peer.flatMap(p -> TlsPeers.causeOf(e, p));
            TlsPeers peers = tlsPeers;
            if (tls.isPresent() && peers != null) {
                peers.failed(peer.get(), tls.get());
            }
            attempt.finish(503, "Service Unavailable (" + tls.orElse("cannot send: " + e.getMessage()) + ")", Optional.empty());
            return;
        }
        try {
            // Cancelled when the outcome arrives: a pending timer would keep the request's whole state reachable for
            // the full timeout (measured: tens of MB promoted to the old generation at a few hundred MESSAGEs/s).
            attempt.deadline(worker.schedule(() -> attempt.expire("Request Timeout (no final response within "
                    + timeout.toMillis() + " ms)"), timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            attempt.finish(503, "Service Unavailable (shutting down)", Optional.empty());
        }
    }

    /** A response arrived (JAIN-SIP thread). */
    public void onResponse(ResponseEvent event) {
        ClientTransaction ct = event.getClientTransaction();
        if (ct == null || !(ct.getApplicationData() instanceof Attempt attempt)) {
            return; // a stray response; JAIN-SIP already matched none of our transactions
        }
        Response response = event.getResponse();
        TlsPeers peers = tlsPeers;
        if (peers != null) {
            TlsPeers.peerOf(ct.getRequest()).ifPresent(peers::worked);
        }
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        if ((status == 401 || status == 407) && auth.isPresent() && attempt.challenged.compareAndSet(false, true)) {
            execute(() -> answerChallenge(response, ct, attempt), attempt);
            return;
        }
        attempt.finish(status, response.getReasonPhrase(), Optional.of(response));
    }

    /**
     * The TLS peer of {@code ct} was refused after the handshake (its certificate does not name the host; sending
     * thread): the request fails now with {@code reason} instead of timing out.
     */
    public void tlsRefused(ClientTransaction ct, String reason) {
        if (ct == null) {
            return;
        }
        TlsPeers peers = tlsPeers;
        if (peers != null) {
            TlsPeers.peerOf(ct.getRequest()).ifPresent(peer -> peers.failed(peer, reason));
        }
        if (ct.getApplicationData() instanceof Attempt attempt) {
            attempt.finish(503, "Service Unavailable (" + reason + ")", Optional.empty());
        }
    }

    /** JAIN-SIP gave up on a transaction (Timer F; JAIN-SIP thread). */
    public void onTimeout(ClientTransaction ct) {
        if (ct != null && ct.getApplicationData() instanceof Attempt attempt) {
            attempt.finish(408, "Request Timeout (transaction timed out)", Optional.empty());
        }
    }

    private void answerChallenge(Response challenge, ClientTransaction ct, Attempt attempt) {
        try {
            ClientTransaction retry = auth.orElseThrow().handleChallenge(challenge, ct, provider, 5);
            retry.setApplicationData(attempt);
            attempt.transaction = retry;
            retry.sendRequest();
        } catch (SipException | RuntimeException e) {
            log.debug("cannot answer {} challenge: {}", challenge.getStatusCode(), e.toString());
            attempt.finish(challenge.getStatusCode(), challenge.getReasonPhrase() + " (no usable credentials)", Optional.of(challenge));
        }
    }

    private void execute(Runnable task, Attempt attempt) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            attempt.finish(503, "Service Unavailable (shutting down)", Optional.empty());
        }
    }

    /** One logical request, across a digest retry; completes once. */
    private static final class Attempt {
        final ResponseCallback callback;
        final AtomicBoolean challenged = new AtomicBoolean();
        final AtomicBoolean done = new AtomicBoolean();
        private volatile ScheduledFuture<?> deadline;
        /** The transaction now carrying the request (the digest retry replaces the first). */
        volatile ClientTransaction transaction;

        Attempt(ResponseCallback callback) {
            this.callback = callback;
        }

        void deadline(ScheduledFuture<?> timer) {
            deadline = timer;
            if (done.get()) {
                timer.cancel(false); // finished before the timer was set
            }
        }

        /** The deadline passed (worker thread): completes as 408 and stops the transaction's retransmissions. */
        void expire(String reason) {
            finish(408, reason, Optional.empty());
            ClientTransaction ct = transaction;
            if (ct != null) {
                try {
                    ct.terminate();
                } catch (ObjectInUseException | RuntimeException e) {
                    log.debug("cannot terminate the expired transaction {}: {}", ct.getBranchId(), e.toString());
                }
            }
        }

        void finish(int status, String reason, Optional<Response> response) {
            if (done.compareAndSet(false, true)) {
                ScheduledFuture<?> timer = deadline;
                if (timer != null) {
                    timer.cancel(false);
                }
                try {
                    callback.completed(status, reason, response);
                } catch (RuntimeException e) {
                    log.error("request outcome handler failed for {} {}", status, reason, e);
                }
            }
        }
    }
}
