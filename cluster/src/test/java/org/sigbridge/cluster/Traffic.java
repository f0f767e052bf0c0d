package org.sigbridge.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import org.sigbridge.testkit.Poll;
import org.sigbridge.testkit.fault.Ledger;

/**
 * One fault case's traffic: every {@link LedgerClient} sends {@code perSender} envelopes at a fixed rate on one channel
 * while every other client receives them. A {@link Ledger} entry is one delivery owed: {@code <receiver>/<envelope
 * id>} for each envelope and each client other than its sender, so "sent" counts (envelope, receiver) pairs and a
 * loss at one receiver is one lost entry. Which ledger an entry goes to is the case's choice (e.g. apart for the
 * clients of a killed instance).
 *
 * <p>Senders run on threads of their own; a sender whose socket broke reconnects to {@code reconnectTo} when one is
 * given and goes on. {@link #finish} waits for every sender, then has every client send its end marker and waits until
 * every client has every other client's marker: per-sender order means every envelope sent before a marker has then
 * arrived or never will.
 */
final class Traffic {

    private final List<LedgerClient> clients = new ArrayList<>();
    private final BiFunction<String, String, Ledger> ledgerOf;
    private final Map<String, LedgerClient> byName = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Thread> senders = new ArrayList<>();
    private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** @param ledgerOf (sender, receiver) → the ledger that accounts for deliveries from that sender to that receiver */
    Traffic(BiFunction<String, String, Ledger> ledgerOf) {
        this.ledgerOf = ledgerOf;
    }

    /** The sink the case's clients are opened with. */
    LedgerClient.Sink sink() {
        return new LedgerClient.Sink() {
            @Override
            public void delivered(LedgerClient receiver, String sender, String id) {
                ledgerOf.apply(sender, receiver.name).delivered(receiver.name + "/" + id);
            }

            @Override
            public void reported(LedgerClient sender, String id, String code) {
                for (LedgerClient r : clients) {
                    if (r != sender) {
                        ledgerOf.apply(sender.name, r.name).reported(r.name + "/" + id, code);
                    }
                }
            }
        };
    }

    LedgerClient add(LedgerClient client) {
        clients.add(client);
        byName.put(client.name, client);
        return client;
    }

    /** Envelopes handed to the senders' sockets (or reported failed) so far, over all senders. */
    int sent() {
        return sent.get();
    }

    /**
     * Starts every sender: {@code perSender} envelopes each, {@code ratePerSender} a second (open loop: a late send does
     * not shift the later ones).
     *
     * @param reconnectTo where a sender whose socket broke reconnects, or {@code null} to stop sending then
     */
    void start(int perSender, int ratePerSender, URI reconnectTo) {
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSender;
        for (LedgerClient c : clients) {
            Thread t = new Thread(() -> {
                try {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < perSender; i++) {
                        long wait = t0 + i * periodNanos - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait); // the offered rate, not a wait for an event
                        }
                        if (c.isBroken() && reconnectTo != null) {
                            reconnect(c, reconnectTo);
                        }
                        c.sendNext(id -> {
                            for (LedgerClient r : clients) {
                                if (r != c) {
                                    ledgerOf.apply(c.name, r.name).sent(r.name + "/" + id);
                                }
                            }
                        });
                        sent.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "sender-" + c.name);
            t.setDaemon(true);
            senders.add(t);
            t.start();
        }
    }

    /** Waits until {@code fraction} of all envelopes have been sent (the moment a fault is injected). */
    void awaitSent(int perSender, double fraction) throws Exception {
        int target = (int) (perSender * clients.size() * fraction);
        Poll.until(target + " envelopes sent", Duration.ofSeconds(60), () -> sent.get() >= target || !failures.isEmpty());
    }

    /** Waits for the senders, sends every end marker, waits until every client has every other client's. */
    void finish(URI reconnectTo) throws Exception {
        for (Thread t : senders) {
            t.join(TimeUnit.MINUTES.toMillis(2));
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("a sender failed", failures.get(0));
        }
        for (LedgerClient c : clients) {
            if (c.isBroken() && reconnectTo != null) {
                reconnect(c, reconnectTo);
            }
            c.sync(); // its instance has handled its open and every envelope it sent
        }
        for (LedgerClient c : clients) {
            if (!c.sendMarker()) {
                throw new AssertionError(c.name + "'s socket broke at the end");
            }
        }
        for (LedgerClient r : clients) {
            for (LedgerClient s : clients) {
                if (r != s) {
                    Poll.until(r.name + " has " + s.name + "'s end marker", Duration.ofSeconds(30), () -> r.sawMarkerOf(s.name));
                }
            }
        }
    }

    /** Frames that arrived out of their sender's order, over all receivers and every sender in {@code senders}. */
    int outOfOrder(java.util.function.Predicate<String> senders) {
        int n = 0;
        for (LedgerClient r : clients) {
            for (LedgerClient s : clients) {
                if (senders.test(s.name)) {
                    n += r.outOfOrder(s.name);
                }
            }
        }
        return n;
    }

    /** The first few deliveries out of order, per receiver. */
    List<String> outOfOrderExamples() {
        return clients.stream().flatMap(c -> c.firstOutOfOrder.stream()).toList();
    }

    private static void reconnect(LedgerClient c, URI to) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                c.reconnect(to);
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > until) {
                    throw new AssertionError(c.name + " could not reconnect to " + to, e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // the balancer found the dead server; try again
            }
        }
    }
}
