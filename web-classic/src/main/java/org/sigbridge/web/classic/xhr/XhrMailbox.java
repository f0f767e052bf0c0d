package org.sigbridge.web.classic.xhr;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.sigbridge.envelope.Envelope;
import org.sigbridge.envelope.EnvelopeJson;
import org.sigbridge.spi.AdapterContext;
import org.sigbridge.spi.DeliveryResult;
import org.sigbridge.spi.Endpoint;
import org.sigbridge.spi.PublishResult;
import org.sigbridge.spi.SubscribeResult;
import org.sigbridge.web.WebStats;
import org.sigbridge.web.XhrSettings;
import org.sigbridge.web.session.EnvelopeReceipt;

/**
 * The XHR pollers' shared mailbox and their one hub {@link Endpoint}.
 *
 * <p>Like the original, there is one log for every channel and every poller sees every message, its own posts
 * included (its page filters by {@code sender} and {@code channel}). Unlike the original, each poller has a
 * cursor (keyed by its cookie), so {@code GetData} returns the oldest message it has not seen rather than only
 * the newest: nothing is lost between polls as long as it stays within {@code log-entries} and
 * {@code retention}. A poller without a cookie gets the original's answer (the newest message of the backlog).
 *
 * <p>The endpoint subscribes to a channel when an XHR client posts to it (or names it in a poll) and leaves it
 * after {@code channel-idle-timeout} without such use. Bounded: log entries, pollers, long-poll waiters.
 * Thread-safe; every method is non-blocking. Long-poll answers run on the thread that appends or on the timer.
 *
 * <p>Nothing dropped silently (docs/design.md §2.4): a message the hub delivered carries its envelope's
 * {@link EnvelopeReceipt}; when a known poller (one with a cookie) will never read it — the entry leaves the log
 * ({@code log-entries}, {@code retention}) before that poller's cursor reached it, or the poller is forgotten
 * ({@code client-timeout}, {@code max-clients}, the adapter closing) with it unread — the envelope's sender is told by
 * id, once per such poller. Reports are collected under the lock and sent after it, on the calling thread.
 */
public final class XhrMailbox implements Endpoint {

    private final String id;
    private final String adapter;
    private final AdapterContext context;
    private final XhrSettings settings;
    private final WebStats stats;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    private final ArrayDeque<XhrEntry> log = new ArrayDeque<>();
    private final LinkedHashMap<String, Poller> pollers = new LinkedHashMap<>(64, 0.75f, true);
    private final List<Waiter> waiters = new ArrayList<>();
    private final ConcurrentHashMap<String, Long> channels = new ConcurrentHashMap<>();
    /** The receipts of the logged messages the hub delivered, by entry id. Guarded by the lock. */
    private final Map<Long, EnvelopeReceipt> receipts = new HashMap<>();
    /** Receipts to report once the lock is released, with why. Guarded by the lock. */
    private List<Report> unreported = new ArrayList<>();
    private long lastId;

    private record Report(EnvelopeReceipt receipt, String why) {
    }

    public XhrMailbox(String adapter, AdapterContext context, XhrSettings settings, WebStats stats, ScheduledExecutorService timer) {
        this.id = adapter + "-xhr";
        this.adapter = adapter;
        this.context = context;
        this.settings = settings;
        this.stats = stats;
        this.timer = timer;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String adapter() {
        return adapter;
    }

    /**
     * A poller's post: joins the channel, publishes to everyone else on it, and logs it for every poller.
     *
     * @return the hub's answer; a refusal is not logged
     */
    public PublishResult post(Envelope envelope) {
        stats.countXhrPost();
        Optional<SubscribeResult.Refused> refused = use(envelope.channel());
        if (refused.isPresent()) {
            return new PublishResult.Refused(refused.get().code(), refused.get().detail());
        }
        PublishResult result = context.publish(envelope, this);
        if (result instanceof PublishResult.Published) {
            append(envelope, null);
        }
        return result;
    }

    /** Subscribes to a channel a poller uses, or refreshes its idle timer. */
    public Optional<SubscribeResult.Refused> use(String channel) {
        if (channels.put(channel, now()) == null) {
            SubscribeResult result = context.subscribe(this, channel);
            if (result instanceof SubscribeResult.Refused r) {
                channels.remove(channel);
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    @Override
    public DeliveryResult deliver(Envelope envelope) {
        append(envelope, new EnvelopeReceipt(envelope, context, id));
        return DeliveryResult.DELIVERED;
    }

    /**
     * The next message for a poller, advancing its cursor.
     *
     * @param pollerKey its cookie, or {@code null} for the original's "newest within the backlog"
     */
    public Optional<XhrEntry> poll(String pollerKey) {
        stats.countXhrPoll();
        Optional<XhrEntry> next;
        synchronized (lock) {
            next = next(pollerKey);
        }
        report();
        return next;
    }

    /**
     * Answers as soon as there is a message for the poller, or with empty after {@code maxWaitMillis}.
     * {@code reply} is called exactly once, maybe before this returns, on this, an appending or the timer thread.
     */
    public void longPoll(String pollerKey, long maxWaitMillis, Consumer<Optional<XhrEntry>> reply) {
        stats.countXhrPoll();
        Waiter waiter = null;
        Optional<XhrEntry> now;
        synchronized (lock) {
            now = next(pollerKey);
            if (now.isEmpty() && pollerKey != null && waiters.size() < settings.maxWaiters()) {
                waiter = new Waiter(pollerKey, reply);
                waiters.add(waiter);
            }
        }
        report();
        if (waiter == null) {
            if (now.isEmpty() && pollerKey != null) {
                stats.countXhrPollNotHeld();
            }
            reply.accept(now); // a message is there, or no cookie to wait for, or too many waiting: answer at once
            return;
        }
        Waiter held = waiter;
        long wait = Math.min(maxWaitMillis, settings.longPollMaxWait().toMillis());
        timer.schedule(() -> expire(held), Math.max(0, wait), TimeUnit.MILLISECONDS);
    }

    /** Forgets silent pollers, drops expired entries and leaves idle channels. Timer thread. */
    public void sweep() {
        long now = now();
        synchronized (lock) {
            trim(now);
            for (Iterator<Poller> it = pollers.values().iterator(); it.hasNext(); ) {
                Poller p = it.next();
                if (now - p.lastSeen > settings.clientTimeout().toMillis()) {
                    it.remove();
                    forgotten(p, "the XHR poller did not poll again within xhr.client-timeout (" + settings.clientTimeout() + ")");
                }
            }
        }
        report();
        for (Map.Entry<String, Long> e : channels.entrySet()) {
            if (now - e.getValue() > settings.channelIdleTimeout().toMillis() && channels.remove(e.getKey(), e.getValue())) {
                context.unsubscribe(this, e.getKey());
            }
        }
    }

    /** Whether a poller with this cookie has polled and is not forgotten yet. Any thread; never blocks. */
    public boolean knows(String pollerKey) {
        synchronized (lock) {
            return pollers.containsKey(pollerKey); // containsKey keeps the access order (who is longest silent)
        }
    }

    /** Pollers holding a long poll or heard from within {@code recent}: the drain's "still here" count. */
    public int activePollers(Duration recent) {
        long since = now() - recent.toMillis();
        synchronized (lock) {
            Set<String> holding = new HashSet<>();
            waiters.forEach(w -> holding.add(w.pollerKey));
            int n = 0;
            for (Map.Entry<String, Poller> e : pollers.entrySet()) {
                if (e.getValue().lastSeen >= since || holding.contains(e.getKey())) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Answers every held long poll with empty now (the drain deadline). Any thread. */
    public void releaseWaiters() {
        List<Waiter> all;
        synchronized (lock) {
            all = new ArrayList<>(waiters);
            waiters.clear();
        }
        all.forEach(w -> w.answer(Optional.empty()));
    }

    /** Answers every waiting long poll with empty and leaves every channel. Idempotent. */
    public void close() {
        releaseWaiters();
        synchronized (lock) {
            for (Poller p : pollers.values()) {
                forgotten(p, "the XHR adapter closed before the poller read it");
            }
            pollers.clear();
            log.clear();
            receipts.clear();
        }
        report();
        context.detach(this);
        channels.clear();
    }

    /** Logs a message; {@code receipt} is its envelope's when the hub delivered it, {@code null} for a poller's post. */
    private void append(Envelope envelope, EnvelopeReceipt receipt) {
        List<Waiter> ready = new ArrayList<>();
        List<Optional<XhrEntry>> answers = new ArrayList<>();
        synchronized (lock) {
            long now = now();
            log.addLast(new XhrEntry(++lastId, envelope.channel(), EnvelopeJson.write(envelope), now));
            if (receipt != null) {
                receipts.put(lastId, receipt);
            }
            trim(now);
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                Optional<XhrEntry> next = next(w.pollerKey);
                if (next.isPresent()) {
                    it.remove();
                    ready.add(w);
                    answers.add(next);
                }
            }
        }
        report();
        for (int i = 0; i < ready.size(); i++) {
            ready.get(i).answer(answers.get(i));
        }
    }

    /** Sends the reports collected under the lock. Outside the lock; the reporting only enqueues. */
    private void report() {
        List<Report> now;
        synchronized (lock) {
            if (unreported.isEmpty()) {
                return;
            }
            now = unreported;
            unreported = new ArrayList<>();
        }
        for (Report r : now) {
            r.receipt().notWritten(r.why());
        }
    }

    /** A poller is forgotten: every delivered message it has not read is reported. Under the lock. */
    private void forgotten(Poller p, String why) {
        for (XhrEntry e : log) {
            EnvelopeReceipt r = e.id() > p.cursor ? receipts.get(e.id()) : null;
            if (r != null) {
                unreported.add(new Report(r, why));
            }
        }
    }

    private void expire(Waiter waiter) {
        boolean mine;
        synchronized (lock) {
            mine = waiters.remove(waiter);
        }
        if (mine) {
            waiter.answer(Optional.empty());
        }
    }

    /** Under the lock. */
    private Optional<XhrEntry> next(String pollerKey) {
        long now = now();
        trim(now);
        long since = now - settings.backlog().toMillis();
        if (pollerKey == null) {
            XhrEntry newest = log.peekLast();
            return newest != null && newest.atMillis() >= since ? Optional.of(newest) : Optional.empty();
        }
        Poller p = pollers.get(pollerKey);
        if (p == null) {
            long cursor = lastId;
            for (XhrEntry e : log) {
                if (e.atMillis() >= since) {
                    cursor = e.id() - 1;
                    break;
                }
            }
            p = new Poller(cursor);
            pollers.put(pollerKey, p);
            if (pollers.size() > settings.maxClients()) {
                forgotten(pollers.remove(pollers.keySet().iterator().next()),
                        "more than xhr.max-clients (" + settings.maxClients() + ") pollers; the longest silent was forgotten");
            }
        }
        p.lastSeen = now;
        XhrEntry oldest = log.peekFirst();
        if (oldest != null && oldest.id() > p.cursor + 1) {
            stats.countXhrLost(oldest.id() - p.cursor - 1);
            p.cursor = oldest.id() - 1;
        }
        for (XhrEntry e : log) {
            if (e.id() > p.cursor) {
                p.cursor = e.id();
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Under the lock. */
    private void trim(long now) {
        while (log.size() > settings.logEntries()
                || (!log.isEmpty() && now - log.peekFirst().atMillis() > settings.retention().toMillis())) {
            XhrEntry gone = log.pollFirst();
            EnvelopeReceipt r = receipts.remove(gone.id());
            if (r != null) {
                for (Poller p : pollers.values()) {
                    if (p.cursor < gone.id()) {
                        unreported.add(new Report(r, "it left the XHR log (xhr.log-entries " + settings.logEntries()
                                + ", xhr.retention " + settings.retention() + ") before a poller read it"));
                    }
                }
            }
        }
    }

    private long now() {
        return context.clock().millis();
    }

    /** A poller's cursor: the last ID it was given. Guarded by the mailbox lock. */
    private static final class Poller {
        long cursor;
        long lastSeen;

        Poller(long cursor) {
            this.cursor = cursor;
        }
    }

    /** A held long poll. */
    private static final class Waiter {
        final String pollerKey;
        final Consumer<Optional<XhrEntry>> reply;

        Waiter(String pollerKey, Consumer<Optional<XhrEntry>> reply) {
            this.pollerKey = pollerKey;
            this.reply = reply;
        }

        void answer(Optional<XhrEntry> entry) {
            reply.accept(entry);
        }
    }
}
