package org.sigbridge.sip.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.sigbridge.sip.SipSettings;
import org.sigbridge.sip.stack.SipStackRunner;
import org.sigbridge.support.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one AOR {@code sip:user@domain} registered (RFC 3261 §10) with the contact
 * {@code sip:user@listen-host:listen-port}: the bridge's own AOR, or a channel's AOR so that user agents
 * reach the channel as {@code sip:<channel>@<domain>} through the registrar. REGISTER at start,
 * a refresh before the granted expiry runs out, retries with jittered, capped backoff after a failure
 * ({@link #retryBackoff}: after a registrar restart the bridges spread out instead of re-REGISTERing in
 * lock-step), at once
 * when the proxy answers again after being lost, and {@code Expires: 0} on close.
 *
 * <p>All state lives on the worker thread; JAIN-SIP outcomes hop onto it. One Call-ID for every
 * REGISTER of this instance, CSeq increasing (§10.2): the requests are built, and the answers read, by
 * {@link RegisterMessages}.
 */
public final class Registration {

    private static final Logger log = LoggerFactory.getLogger(Registration.class);
    /** The first retry waits up to this long; each failure doubles it, up to {@code register-backoff-cap}. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    /** At most one early refresh per this interval to learn new bindings (see {@link #bindsOrAsk}). */
    private static final Duration BINDING_QUERY_INTERVAL = Duration.ofSeconds(5);

    private final SipSettings settings;
    private final ClientRequests requests;
    private final ScheduledExecutorService worker;
    private final String user;
    private final LegReporter leg;
    private final boolean own;
    private final org.sigbridge.sip.SipStats stats;
    /** This AOR's REGISTERs (Call-ID, From tag, CSeq) and what the registrar's answers say. */
    private final RegisterMessages messages;
    private boolean inFlight;
    /** A binding query came while a REGISTER was in flight: send another once it is answered. Worker thread. */
    private boolean askAgain;
    private boolean closing;
    private final Backoff backoff;
    private ScheduledFuture<?> next;
    private volatile boolean registered;
    /** The registrar's other bindings of this AOR (contact keys, see {@link #contactKey}) from its last 2xx. */
    private volatile Set<String> otherBindings = Set.of();
    private volatile long lastBindingQueryNanos = System.nanoTime() - BINDING_QUERY_INTERVAL.toNanos();
    /** Waiting for the next successful registration; guarded by {@code this}. */
    private final List<CompletableFuture<Void>> waiters = new ArrayList<>();

    /**
     * @param user the AOR's user part, already escaped (RFC 3261 §25.1)
     * @param leg  where success and failure are reported: as the leg's registration for the bridge's own AOR
     *             ({@code own}), else as a channel AOR's ({@link LegReporter#channelRegistration})
     */
    public Registration(SipSettings settings, String user, SipStackRunner stack, ClientRequests requests,
                        ScheduledExecutorService worker, LegReporter leg, boolean own, org.sigbridge.sip.SipStats stats) {
        this.settings = settings;
        this.user = user;
        this.requests = requests;
        this.worker = worker;
        this.leg = leg;
        this.own = own;
        this.stats = stats;
        this.messages = new RegisterMessages(settings, user, stack);
        this.backoff = retryBackoff(settings, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The retry schedule after a failed REGISTER: attempt {@code n} waits a uniform time in {@code [w/2, w]},
     * {@code w = min(register-backoff-cap, 1s·2ⁿ)}.
     *
     * @param random uniform values in [0, 1)
     */
    static Backoff retryBackoff(SipSettings settings, DoubleSupplier random) {
        return new Backoff(FIRST_RETRY, settings.registerBackoffCap(), random);
    }

    /** The AOR, e.g. {@code bridge@localhost}. */
    public String aor() {
        return user + "@" + settings.domain();
    }

    public boolean isRegistered() {
        return registered;
    }

    /** Completes when the AOR is registered: at once if it is now, else at the next success. Any thread. */
    public synchronized CompletionStage<Void> whenRegistered() {
        if (registered) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiters.add(f);
        return f;
    }

    private void markRegistered() {
        List<CompletableFuture<Void>> done;
        synchronized (this) {
            registered = true;
            done = List.copyOf(waiters);
            waiters.clear();
        }
        done.forEach(f -> f.complete(null));
    }

    /**
     * Whether the registrar said, in its last 2xx to our REGISTER (RFC 3261 §10.3 step 8 lists every binding of the
     * AOR), that {@code uri} is bound to this AOR too, so a request to the AOR reaches it. When it is not and
     * {@code uri} looks like another bridge's contact for the same AOR (same user part), asks the registrar
     * again soon (a refresh; at most one per 5 s), since it may have registered
     * after us. Any thread; non-blocking.
     */
    public boolean bindsOrAsk(String uri) {
        String key = contactKey(uri);
        if (otherBindings.contains(key)) {
            return true;
        }
        if (key.startsWith(user + "@") && registered) {
            long now = System.nanoTime();
            long last = lastBindingQueryNanos;
            if (now - last >= BINDING_QUERY_INTERVAL.toNanos()) {
                lastBindingQueryNanos = now;
                submit(() -> {
                    if (closing) {
                        return;
                    }
                    if (inFlight) {
                        askAgain = true; // its answer may predate the other bridge's binding
                        return;
                    }
                    cancelNext();
                    register();
                });
            }
        }
        return false;
    }

    /** {@link ContactKeys#of}. */
    static String contactKey(String uri) {
        return ContactKeys.of(uri);
    }

    /** The other contacts bound to this AOR, as the registrar's last 2xx listed them ({@code user@host:port}). */
    public Set<String> otherBindings() {
        return otherBindings;
    }

    /** Registers now (from any thread). */
    public void start() {
        submit(this::register);
    }

    /** The proxy answered again after being lost: register at once if not registered (any thread). */
    public void proxyAlive() {
        submit(() -> {
            if (!registered && !inFlight) {
                cancelNext();
                register();
            }
        });
    }

    /**
     * The proxy stopped answering; its registrar may forget us (a restart loses usrloc), so re-register when
     * it is back. Takes effect at once (called on the worker).
     */
    public synchronized void proxyLost() {
        registered = false;
    }

    private void register() {
        if (closing || inFlight) {
            return;
        }
        inFlight = true;
        Request request = messages.build((int) settings.registerExpires().toSeconds());
        requests.send(request, (status, reason, response) -> submit(() -> completed(status, reason, response)));
    }

    private void completed(int status, String reason, Optional<Response> response) {
        inFlight = false;
        if (closing && status >= 200 && status < 300) {
            registered = true; // the binding exists although we are closing: remove it below
        }
        response.ifPresent(messages::answered);
        if (closing) {
            if (status >= 200 && status < 300 && registered) {
                registered = false;
                requests.send(messages.build(0), (st, rs, rsp) -> log.debug("un-REGISTER {}: {} {}", aor(), st, rs));
            }
            return;
        }
        if (status >= 200 && status < 300) {
            long granted = messages.grantedSeconds(response.orElseThrow());
            otherBindings = messages.otherBindings(response.orElseThrow());
            boolean first = !registered;
            markRegistered();
            backoff.reset();
            stats.registrations().increment();
            report(null);
            // Refresh well before expiry: half way for short lifetimes, 30 s ahead for long ones.
            long delayMillis = Math.max(500, Math.max(granted * 500, (granted - 30) * 1000));
            if (first) { // once per registration streak, so an operator (docs/quickstart-sip.md) sees it; refreshes at DEBUG
                log.info("registered {} at {} for {} s", aor(), settings.registrar(), granted);
            }
            log.debug("registered {} for {} s; refresh in {} ms", aor(), granted, delayMillis);
            if (askAgain) {
                askAgain = false;
                register();
                return;
            }
            schedule(delayMillis);
        } else {
            registered = false;
            String problem = "REGISTER " + aor() + " at " + settings.registrar() + " failed: " + status + " " + reason;
            report(problem);
            if (backoff.attempts() == 0) {
                log.info("{}; retrying with backoff", problem); // once per failure streak
            }
            Duration delay = backoff.next();
            log.debug("{}; retry in {}", problem, org.sigbridge.config.DurationText.format(delay));
            schedule(delay.toMillis());
        }
    }

    /**
     * Removes the binding ({@code Expires: 0}) and stops refreshing it, for a bridge that stops. Any thread; never
     * blocks: the answer completes the returned stage, which also completes at once when nothing is registered or
     * the worker has gone. The caller bounds its wait ({@code SipAdapter.close} waits for every AOR's at once).
     */
    public CompletableFuture<Void> unregister() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            worker.execute(() -> {
                closing = true;
                cancelNext();
                if (!registered) {
                    done.complete(null);
                    return;
                }
                registered = false;
                requests.send(messages.build(0), (status, reason, response) -> {
                    log.debug("un-REGISTER {}: {} {}", aor(), status, reason);
                    done.complete(null);
                });
            });
        } catch (RejectedExecutionException e) {
            log.debug("worker gone; not un-registering {}", aor());
            done.complete(null);
        }
        return done;
    }

    /** Removes the binding without waiting (a channel closed); any thread. */
    public void unregisterLater() {
        submit(() -> {
            closing = true;
            report(null); // a closed channel's AOR is no failure of the leg
            cancelNext();
            if (registered) {
                registered = false;
                requests.send(messages.build(0), (status, reason, response) -> log.debug("un-REGISTER {}: {} {}", aor(), status, reason));
            }
        });
    }

    private void report(String problem) {
        if (own) {
            leg.registered(problem == null, problem);
        } else {
            leg.channelRegistration(aor(), problem);
        }
    }

    private void schedule(long delayMillis) {
        cancelNext();
        try {
            next = worker.schedule(this::register, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private void cancelNext() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    private void submit(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            // the adapter is closing; nothing left to do
        }
    }
}
