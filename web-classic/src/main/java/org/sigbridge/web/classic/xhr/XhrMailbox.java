package org.sigbridge.web.classic.xhr;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
    private long lastId;

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
            append(envelope);
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
        append(envelope);
        return DeliveryResult.DELIVERED;
    }

    /**
     * The next message for a poller, advancing its cursor.
     *
     * @param pollerKey its cookie, or {@code null} for the original's "newest within the backlog"
     */
    public Optional<XhrEntry> poll(String pollerKey) {
        stats.countXhrPoll();
        synchronized (lock) {
            return next(pollerKey);
        }
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
            pollers.values().removeIf(p -> now - p.lastSeen > settings.clientTimeout().toMillis());
        }
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
        context.detach(this);
        channels.clear();
    }

    private void append(Envelope envelope) {
        List<Waiter> ready = new ArrayList<>();
        List<Optional<XhrEntry>> answers = new ArrayList<>();
        synchronized (lock) {
            long now = now();
            log.addLast(new XhrEntry(++lastId, envelope.channel(), EnvelopeJson.write(envelope), now));
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
        for (int i = 0; i < ready.size(); i++) {
            ready.get(i).answer(answers.get(i));
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
                pollers.remove(pollers.keySet().iterator().next());
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
            log.pollFirst();
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
