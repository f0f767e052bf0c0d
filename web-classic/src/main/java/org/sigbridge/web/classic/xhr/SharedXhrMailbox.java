package org.sigbridge.web.classic.xhr;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.Origin;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.ErrorCode;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.cluster.SessionStore;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.XhrSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The XHR mailbox on a cluster (docs/cluster.md §2, "XHR sessions"): any instance serves any request of a session.
 * A session (its cookie) lives in the cluster's {@link SessionStore} (Redis) with its channels, the position its last
 * answer reached on each, its endpoint ids (its own posts are never handed back to it) and a time to live of
 * {@code xhr.client-timeout}. The instance a request reaches takes the session over when it does not hold it
 * ({@link SessionStore#takeOver}: a new owner generation) and resumes each channel from the recorded position with the
 * hub's resume across instances ({@link AdapterContext#resumeAsync}, docs/design.md §3.8), which replays from the
 * channel's cluster log what the session did not read, once, in order. Each answer is committed before it is sent: the
 * entry's position is written only while this instance still owns the session, so an instance that lost the session
 * never answers again, and every position is answered once. The {@code ID} of an answer is the session's write count,
 * which grows across instances.
 *
 * <p>Unlike the single-instance {@link XhrMailbox}, a session gets the channels it posted to or named
 * ({@code ?channel=}), not every channel of every poller, and not its own posts. When the store cannot be reached a
 * request is answered 503 {@code upstream_unavailable} (a post naming its envelope id) and nothing is published.
 *
 * <p>This class answers requests from the sessions' queues; {@link XhrSessions} holds the sessions served here and
 * takes them over, {@link XhrSessionRecords} writes them in the store.
 *
 * <p>Thread-safe and non-blocking: requests run on Jetty threads, answers on the store's, the publishing or the timer
 * thread. Each {@code reply} is called exactly once.
 */
public final class SharedXhrMailbox {

    private static final Logger log = LoggerFactory.getLogger(SharedXhrMailbox.class);
    /** A session silent here this long is checked once in the store (it may have moved). */
    static final long CHECK_AFTER_MS = 1000;

    /** What a request is answered. */
    public sealed interface Answer {
        record Entry(XhrEntry entry) implements Answer {
        }

        record Nothing() implements Answer {
        }

        record Posted() implements Answer {
        }

        record Failed(int status, ErrorCode code, String detail, String envelopeId) implements Answer {
        }
    }

    private final String adapter;
    private final AdapterContext context;
    private final XhrSettings settings;
    private final WebStats stats;
    private final ScheduledExecutorService timer;
    private final Duration ttl;
    private final XhrSessions sessions;
    /** The sessions' records in the store, and what a failed write is answered. */
    private final XhrSessionRecords records;

    public SharedXhrMailbox(String adapter, AdapterContext context, SessionStore store, XhrSettings settings, WebStats stats,
                            ScheduledExecutorService timer) {
        this.adapter = adapter;
        this.context = context;
        this.settings = settings;
        this.stats = stats;
        this.timer = timer;
        this.ttl = settings.clientTimeout();
        this.sessions = new XhrSessions(adapter, context, store, settings, this::pump);
        this.records = new XhrSessionRecords(context, store, ttl, sessions);
    }

    /** Whether this instance serves the session now (for the drain and the rate limit). Never blocks. */
    public boolean knows(String key) {
        return sessions.knows(key);
    }

    /**
     * A post: the session (taken over if needed) joins the envelope's channel, its time to live is renewed, and the
     * envelope is published from the session's endpoint here.
     */
    public void post(String key, Envelope parsed, Consumer<Answer> reply) {
        stats.countXhrPost();
        records.withSession(key, s -> records.use(s, parsed.channel()).thenCompose(u -> records.touch(s)).thenApply(ok -> s))
                .whenComplete((s, e) -> {
                    if (e != null) {
                        reply.accept(records.failure(e, parsed.id()));
                        return;
                    }
                    Envelope envelope = new Envelope(parsed.id(), parsed.channel(), parsed.sender(), parsed.message(),
                            new Origin(adapter, s.endpointId), parsed.receivedAt(), parsed.recipient());
                    PublishResult result = context.publish(envelope, s);
                    reply.accept(result instanceof PublishResult.Refused r
                            ? new Answer.Failed(403, r.code(), r.detail(), envelope.id()) : new Answer.Posted());
                });
    }

    /**
     * A poll: the session's next message, held up to {@code waitMillis} when there is none ({@code 0}: {@code GetData},
     * answered at once). Each poll renews the session in the store, which also tells this instance whether it still
     * owns it.
     *
     * @param channel a channel the page names ({@code ?channel=}), or {@code null}
     */
    public void poll(String key, String channel, long waitMillis, Consumer<Answer> reply) {
        stats.countXhrPoll();
        records.withSession(key, s -> (channel == null || channel.isEmpty() ? CompletableFuture.<Void>completedFuture(null)
                        : records.use(s, channel)).thenCompose(x -> records.touch(s)).thenApply(x -> s))
                .whenComplete((s, e) -> {
                    if (e != null) {
                        reply.accept(records.failure(e, null));
                    } else {
                        next(s, Math.min(waitMillis, settings.longPollMaxWait().toMillis()), reply, false);
                    }
                });
    }

    /** Answers the head of the session's queue (committed first), holds the poll, or answers nothing. */
    private void next(XhrSession s, long waitMillis, Consumer<Answer> reply, boolean retried) {
        Consumer<Answer> displaced = null;
        Consumer<Answer> holding = null;
        XhrSession.Pending head = null;
        synchronized (s) {
            s.lastSeen = now();
            s.checked = false;
            if (s.gone) {
                head = null;
            } else if (!s.committing && !s.queue.isEmpty()) {
                head = s.queue.peekFirst();
                s.committing = true;
            } else if (waitMillis > 0) {
                displaced = s.held; // one poll held per session: an older one is answered "nothing"
                s.held = reply;
                holding = reply;
            }
        }
        if (displaced != null) {
            displaced.accept(new Answer.Nothing());
        }
        if (head != null) {
            commit(s, head, reply, retried);
        } else if (holding != null) {
            Consumer<Answer> mine = holding;
            timer.schedule(() -> expire(s, mine), waitMillis, TimeUnit.MILLISECONDS);
        } else if (s.gone && !retried) {
            sessions.session(s.key, s).whenComplete((t, e) -> {
                if (e != null) {
                    reply(reply, records.failure(e, null));
                } else {
                    next(t, waitMillis, reply, true);
                }
            });
        } else {
            reply.accept(new Answer.Nothing());
        }
    }

    private static void reply(Consumer<Answer> reply, Answer answer) {
        reply.accept(answer);
    }

    /**
     * Writes the head's position while this instance owns the session; then answers it. When another instance took the
     * session over: a request of the client here now ({@code retried} false) takes it back and is answered from there;
     * a held poll ({@code retried} true) is answered nothing, so a request the client gave up never steals its session.
     */
    private void commit(XhrSession s, XhrSession.Pending head, Consumer<Answer> reply, boolean retried) {
        records.commit(s, head.channel(), head.position()).whenComplete((n, e) -> {
            if (e != null) {
                synchronized (s) {
                    s.committing = false;
                }
                reply.accept(records.failure(e, null));
            } else if (n == 0) {
                sessions.lost(s);
                if (retried) {
                    reply.accept(new Answer.Nothing());
                } else {
                    next(s, 0, reply, false); // s is gone: takes the session over again and answers from there
                }
            } else {
                synchronized (s) {
                    s.queue.pollFirst();
                    s.committing = false;
                    s.recorded.put(head.channel(), head.position());
                }
                reply.accept(new Answer.Entry(new XhrEntry(n, head.channel(), head.json(), head.atMillis())));
                pump(s);
            }
        });
    }

    /** A delivery arrived or a commit ended: a held poll gets the next message. Any thread. */
    void pump(XhrSession s) {
        Consumer<Answer> held;
        XhrSession.Pending head;
        synchronized (s) {
            if (s.held == null || s.committing || s.queue.isEmpty() || s.gone) {
                return;
            }
            held = s.held;
            s.held = null;
            head = s.queue.peekFirst();
            s.committing = true;
        }
        commit(s, head, held, true);
    }

    private void expire(XhrSession s, Consumer<Answer> mine) {
        synchronized (s) {
            if (s.held != mine) {
                return;
            }
            s.held = null;
        }
        mine.accept(new Answer.Nothing());
    }

    /**
     * Forgets sessions silent for {@code xhr.client-timeout} here (their state stays in the store until it expires), and
     * asks the store once whether a session silent here for {@value #CHECK_AFTER_MS} ms is still this instance's: a copy
     * another instance took over leaves its channels within about two sweeps, instead of filling up. Timer thread.
     */
    public void sweep() {
        long now = now();
        for (XhrSession s : sessions.all()) {
            int unread;
            synchronized (s) {
                if (s.held != null) {
                    continue;
                }
                if (now - s.lastSeen <= ttl.toMillis()) {
                    if (!s.checked && now - s.lastSeen > CHECK_AFTER_MS) {
                        s.checked = true;
                        records.touch(s).exceptionally(e -> null); // moved: touch drops this copy; unreachable: asked again later
                    }
                    continue;
                }
                unread = s.queue.size();
            }
            if (unread > 0) {
                stats.countXhrLost(unread);
                log.info("xhr: session {} did not poll within xhr.client-timeout ({}); {} unread message(s) forgotten here",
                        s.endpointId, ttl, unread);
            }
            sessions.lost(s);
        }
    }

    /** Sessions holding a long poll or heard from within {@code recent}: the drain's "still here" count. */
    public int activePollers(Duration recent) {
        long since = now() - recent.toMillis();
        int n = 0;
        for (XhrSession s : sessions.all()) {
            synchronized (s) {
                if (!s.gone && (s.held != null || s.lastSeen >= since)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Answers every held poll with nothing (the drain deadline). */
    public void releaseWaiters() {
        for (XhrSession s : sessions.all()) {
            Consumer<Answer> held;
            synchronized (s) {
                held = s.held;
                s.held = null;
            }
            if (held != null) {
                held.accept(new Answer.Nothing());
            }
        }
    }

    /** Answers held polls and leaves every channel; the sessions stay in the store for another instance. Idempotent. */
    public void close() {
        releaseWaiters();
        for (XhrSession s : sessions.all()) {
            sessions.lost(s);
        }
    }

    private long now() {
        return context.clock().millis();
    }
}
