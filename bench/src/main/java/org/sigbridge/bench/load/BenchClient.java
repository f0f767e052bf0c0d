package org.sigbridge.bench.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One generated browser: a Jetty WebSocket listener that publishes probes on its channel and books what it
 * receives in the run's {@link DeliveryLedger}.
 *
 * <p>Jetty calls the listener methods on its client threads, one at a time per socket. {@link #sendNext()}
 * may be called from any thread (the open-loop pacer, or another client's delivery callback in the closed
 * loop); Jetty queues concurrent frames of one session.
 */
public final class BenchClient implements Session.Listener.AutoDemanding {
    private final int index;
    private final String channel;
    private final int fanout;
    private final WireDialect dialect;
    private final String filler;
    private final DeliveryLedger ledger;
    private final DeliveryLedger.Receiver receiver;
    private final IntConsumer onReceipt;
    private final RunCounters counters;
    private final CompletableFuture<Session> opened = new CompletableFuture<>();
    private final AtomicLong nextSeq = new AtomicLong();
    private final AtomicLong receipts = new AtomicLong();
    private volatile Session session;
    private volatile boolean closing;

    /**
     * @param onReceipt called with the sending client's index for every probe this client receives (the
     *                  closed loop uses it to release the sender's window)
     */
    public BenchClient(int index, String channel, int fanout, WireDialect dialect, String filler, DeliveryLedger ledger,
                       IntConsumer onReceipt, RunCounters counters) {
        this.index = index;
        this.channel = channel;
        this.fanout = fanout;
        this.dialect = dialect;
        this.filler = filler;
        this.ledger = ledger;
        this.receiver = ledger.receiver();
        this.onReceipt = onReceipt;
        this.counters = counters;
    }

    public int index() {
        return index;
    }

    public String channel() {
        return channel;
    }

    /** Completes when the socket is open; fails if it closes or errors first. */
    public CompletableFuture<Session> opened() {
        return opened;
    }

    @Override
    public void onWebSocketOpen(Session newSession) {
        this.session = newSession;
        String open = dialect.openFrame(channel);
        if (!open.isEmpty()) {
            newSession.sendText(open, Callback.NOOP);
        }
        if (dialect != WireDialect.SIGNALR) { // a SignalR connection is open when its handshake is answered
            opened.complete(newSession);
        }
    }

    @Override
    public void onWebSocketText(String frame) {
        long now = System.nanoTime();
        if (dialect == WireDialect.SIGNALR) {
            onSignalR(frame, now);
            return;
        }
        onProbeText(frame, now);
    }

    /** Each record of a SignalR message: the handshake answer opens, a broadcast carries a probe, pings are ignored. */
    private void onSignalR(String frame, long now) {
        for (SignalRCodec.Record record : SignalRCodec.records(frame)) {
            switch (record.kind()) {
                case HANDSHAKE_OK -> opened.complete(session);
                case BROADCAST -> onProbeText(record.text(), now);
                case REFUSED -> {
                    receiver.onOther();
                    counters.other(record.text());
                    opened.completeExceptionally(new IllegalStateException("SignalR refused: " + record.text()));
                }
                default -> {
                    if (!record.text().equals("{\"type\":6}")) { // keep-alives are not unexpected
                        receiver.onOther();
                        counters.other(record.text());
                    }
                }
            }
        }
    }

    private void onProbeText(String frame, long now) {
        Probe probe = Probe.parse(frame);
        if (!probe.isProbe()) {
            receiver.onOther();
            counters.other(frame);
            return;
        }
        receiver.onDelivery(probe, now);
        onReceipt.accept(probe.client());
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (!closing) {
            counters.closedEarly(statusCode, reason);
        }
        opened.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        opened.completeExceptionally(cause);
    }

    /** Publishes the next probe now. No-op while the socket is not open. */
    public void sendNext() {
        Session s = session;
        if (s == null || !s.isOpen()) {
            counters.sendFailed();
            return;
        }
        long seq = nextSeq.getAndIncrement();
        long now = System.nanoTime();
        boolean measured = ledger.onSent(now, fanout);
        String frame = dialect.publishFrame(channel, index, new Probe(index, seq, now, measured).body(filler));
        counters.sent();
        s.sendText(frame, Callback.from(() -> { }, failure -> counters.sendFailed()));
    }

    /**
     * Closed loop: one of this client's messages reached one more member. Every {@code fanout} receipts
     * complete one message, which frees one window slot.
     *
     * @return true if a window slot was freed
     */
    public boolean receiptFreesSlot() {
        return receipts.incrementAndGet() % fanout == 0;
    }

    /** Closes the socket normally; idempotent. */
    public void close() {
        closing = true;
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(1000, "bench done", Callback.NOOP);
        }
    }
}
